from decimal import Decimal

import pytest

from afas.declarations import checks
from afas.declarations.fields import ALSH_ACTIVITY_FIELDS, FINANCIAL_FIELDS, activity_fields

from .declarations_data import activity, financial


def test_fields_per_type_are_data():
    codes = [field.code for field in activity_fields("ALSH")]
    assert "heures_realisees_moins_6" in codes and "heures_facturees" in codes
    assert [field.code for field in activity_fields("EAJE")] == [
        "jours_ouverture", "heures_ouverture_jour", "capacite", "inscrits", "heures_realisees", "heures_facturees",
    ]  # fmt: skip
    assert activity_fields("LAEP") == ALSH_ACTIVITY_FIELDS  # default until LAEP gets its own list


EAJE = {
    "jours_ouverture": "220",
    "heures_ouverture_jour": "11",
    "capacite": "20",
    "inscrits": "35",
    "heures_realisees": "36300",
    "heures_facturees": "38000",
}


def test_eaje_figures_and_checks_read_its_own_fields():
    fields = activity_fields("EAJE")
    figures = checks.declaration_figures([EAJE], financial(), fields)
    assert figures["capacite_theorique"] == Decimal(48400)
    assert figures["taux_occupation"] == Decimal("0.75")
    assert figures["prix_revient_horaire"] == Decimal(100000) / Decimal(36300)
    errors = checks.activity_errors(fields, {**EAJE, "heures_realisees": "50000"})
    assert "dépassent la capacité théorique" in errors["heures_realisees"][0]


def test_valid_activity_has_no_error():
    assert checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity()) == {}


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("capacite", "", checks.REQUIRED),
        ("capacite", "-3", checks.NEGATIVE),
        ("capacite", "douze", checks.NOT_A_NUMBER),
        ("capacite", "40,5", checks.NOT_AN_INTEGER),
        ("heures_facturees", "-1", checks.NEGATIVE),
    ],
)
def test_field_errors_are_blocking(code, value, message):
    errors = checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity(**{code: value}))
    assert errors[code] == [message]


def test_decimal_comma_and_spaces_are_accepted():
    assert checks.parse("1 234,50") == Decimal("1234.50")
    assert checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity(heures_ouverture_jour="9,5")) == {}


def test_heures_realisees_cannot_exceed_theoretical_capacity():
    errors = checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity(heures_realisees_6_plus="60001"))
    message = errors["heures_realisees_6_plus"][0]
    assert "dépassent la capacité théorique" in message and "80\u202f000,00" in message
    assert "heures_realisees_moins_6" not in errors


def test_negative_capacity_gets_its_own_message_only():
    errors = checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity(capacite="-40"))
    assert errors == {"capacite": [checks.NEGATIVE]}


def test_capacity_exactly_reached_is_allowed():
    assert checks.activity_errors(ALSH_ACTIVITY_FIELDS, activity(heures_realisees_6_plus="60000")) == {}


def test_contributions_volontaires_must_balance():
    errors = checks.financial_errors(financial(p87="1500"))
    assert "même montant" in errors["p87"][0]


def test_financial_required_and_positive():
    errors = checks.financial_errors(financial(c60="", p70="-5"))
    assert errors == {"c60": [checks.REQUIRED], "p70": [checks.NEGATIVE]}
    assert len(FINANCIAL_FIELDS) == 12


def test_totals_resultat_and_prix_de_revient_are_computed():
    figures = checks.declaration_figures([activity()], financial())
    assert figures["total_charges"] == Decimal(100000)
    assert figures["total_produits"] == Decimal(98000)
    assert figures["resultat"] == Decimal(-2000)
    assert figures["heures_realisees"] == Decimal(50000)
    assert figures["prix_revient_horaire"] == Decimal(2)
    assert figures["taux_occupation"] == Decimal("0.625")
    assert figures["heures_par_enfant"] == Decimal(625)


def test_figures_sum_every_lieu():
    figures = checks.declaration_figures([activity(), activity(heures_realisees_6_plus="10000")], financial())
    assert figures["heures_realisees"] == Decimal(80000)
    assert figures["prix_revient_horaire"] == Decimal("1.25")


def test_incomplete_values_give_no_prix_de_revient():
    figures = checks.declaration_figures([activity(heures_realisees_6_plus="")], financial())
    assert figures["prix_revient_horaire"] is None


def test_heures_realisees_varying_more_than_20_percent_raise_an_alert():
    alerts = checks.activity_alerts(activity(heures_realisees_6_plus="40001"), activity())
    assert [alert.code for alert in alerts] == ["heures_realisees"]
    assert "+20,0 %" in alerts[0].message


def test_variation_of_20_percent_exactly_is_no_alert():
    assert checks.activity_alerts(activity(heures_realisees_6_plus="40000"), activity()) == []
    assert checks.activity_alerts(activity(), None) == []


def test_prix_de_revient_varying_raises_an_alert_until_justified():
    previous = checks.declaration_figures([activity()], financial())
    current = checks.declaration_figures([activity()], financial(c64="110000", c86="2000"))
    alerts = checks.financial_alerts(current, previous)
    assert [alert.code for alert in alerts] == ["prix_revient_horaire"]
    assert checks.unjustified(alerts, {}) == alerts
    assert checks.unjustified(alerts, {"prix_revient_horaire": "  "}) == alerts
    assert checks.unjustified(alerts, {"prix_revient_horaire": "Embauche d'un animateur"}) == []
