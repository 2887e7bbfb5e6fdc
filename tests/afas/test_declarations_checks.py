from decimal import Decimal

import pytest

from afas.declarations import checks
from afas.declarations.fields import ALSH_ACTIVITY_FIELDS, FINANCIAL_FIELDS, activity_fields, amount_ceiling

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
    assert typed_errors(**{code: value})[code] == [message]


def typed_errors(**typed):
    """The errors of an activity part as typed, once stored the way services.save_part stores it."""
    values, rejected = checks.normalise(ALSH_ACTIVITY_FIELDS, activity(**typed))
    return checks.activity_errors(ALSH_ACTIVITY_FIELDS, values, rejected)


def test_decimal_comma_and_spaces_are_accepted():
    assert checks.parse("1 234,50") == Decimal("1234.50")
    assert typed_errors(heures_ouverture_jour="9,5") == {}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),  # no-break space
        ("1\u202f234,5", "1234.5"),  # narrow no-break space, as a French keyboard or a copy gives it
        ("12 345 678", "12345678"),
        ("  84062,00 ", "84062.00"),
        ("0,5", "0.5"),
    ],
)
def test_french_numbers_are_stored_normalised(typed, stored):
    values, rejected = checks.normalise(FINANCIAL_FIELDS, {"c60": typed})
    assert values == {"c60": stored} and rejected == {}
    assert Decimal(values["c60"]) == Decimal(stored)


def test_counts_are_stored_as_integers():
    values, _ = checks.normalise(ALSH_ACTIVITY_FIELDS, {"capacite": "40,0", "jours_ouverture": "1 200"})
    assert values == {"capacite": "40", "jours_ouverture": "1200"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e3", checks.NOT_A_NUMBER),
        ("\uff11\uff12\uff13", checks.NOT_A_NUMBER),  # full-width digits １２３
        ("12.5", "saisissez 12,5 et non 12.5"),
        ("99 999 999 999 999 999 999", checks.TOO_LARGE),
        ("1,234,5", checks.NOT_A_NUMBER),
        ("12 34", checks.NOT_A_NUMBER),  # a space that does not separate thousands
        ("12,345", checks.TOO_MANY_DECIMALS),
        ("Infinity", checks.NOT_A_NUMBER),
        ("NaN", checks.NOT_A_NUMBER),
    ],
)
def test_what_is_not_a_french_number_is_refused_and_kept_as_typed(typed, message):
    values, rejected = checks.normalise(FINANCIAL_FIELDS, financial(c60=typed))
    assert "c60" not in values and rejected == {"c60": typed}
    [error] = checks.financial_errors(values, rejected)["c60"]
    assert message in error


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("jours_ouverture", "400", "Jours d'ouverture ne peut pas dépasser 366."),
        ("heures_ouverture_jour", "25", "Heures d'ouverture par jour ne peut pas dépasser 24,00\u00a0h."),
    ],
)
def test_days_and_hours_per_day_are_bounded(code, value, message):
    assert typed_errors(**{code: value})[code] == [message]


def test_days_and_hours_at_their_bound_are_allowed():
    # 366 × 24 h × 40 places leaves room for the 50 000 h of the known figures
    assert typed_errors(jours_ouverture="366", heures_ouverture_jour="24") == {}


def test_amounts_are_bounded_by_a_ceiling_per_type_of_activite():
    values, rejected = checks.normalise(FINANCIAL_FIELDS, financial(c64="99 999 999,00"))
    [error] = checks.financial_errors(values, rejected, amount_ceiling("ALSH"))["c64"]
    assert "plafond" in error and "5\u202f000\u202f000 €" in error
    assert checks.financial_errors(values, rejected, amount_ceiling("EAJE"))["c64"]
    values, rejected = checks.normalise(FINANCIAL_FIELDS, financial(c64="7 000 000", p74_commune="6 902 000"))
    assert "c64" in checks.financial_errors(values, rejected, amount_ceiling("ALSH"))
    assert checks.financial_errors(values, rejected, amount_ceiling("EAJE")) == {}


def test_figures_are_shown_the_french_way():
    heures = next(f for f in ALSH_ACTIVITY_FIELDS if f.code == "heures_realisees_6_plus")
    capacite = next(f for f in ALSH_ACTIVITY_FIELDS if f.code == "capacite")
    assert checks.format_value("19284", heures) == "19\u202f284,00\u00a0h"
    assert checks.format_value("84062", FINANCIAL_FIELDS[0]) == "84\u202f062,00\u00a0€"
    assert checks.format_value("1500", capacite) == "1\u202f500"
    assert checks.typed_text("1234.5") == "1\u202f234,5"


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


def test_inscrits_doubled_or_halved_raise_an_alert():
    doubled = checks.activity_alerts(activity(inscrits_6_plus="130"), activity())  # 160 against 80
    assert [alert.code for alert in doubled] == ["inscrits"] and "doublé" in doubled[0].message
    halved = checks.activity_alerts(activity(inscrits_moins_6="0", inscrits_6_plus="40"), activity())
    assert [alert.code for alert in halved] == ["inscrits"] and "moitié" in halved[0].message
    assert checks.activity_alerts(activity(inscrits_6_plus="120"), activity()) == []  # 150 against 80


def test_charges_varying_more_than_half_raise_an_alert():
    previous = checks.declaration_figures([activity()], financial())
    # +60 % of charges and of hours: the prix de revient is steady, the budget is not
    current = checks.declaration_figures(
        [activity(capacite="80", heures_realisees_6_plus="60000", heures_realisees_moins_6="20000")],
        financial(c64="140000"),
    )
    alerts = checks.financial_alerts(current, previous)
    assert [alert.code for alert in alerts] == ["total_charges"]
    assert "+60,0 %" in alerts[0].message


def test_justification_has_a_length_limit():
    [alert] = checks.activity_alerts(activity(heures_realisees_6_plus="45000"), activity())
    too_long = {"heures_realisees": "x" * (checks.JUSTIFICATION_MAX_LENGTH + 1)}
    assert (
        "ne peut pas dépasser 1\u202f000 caractères (vous en avez saisi 1\u202f001)"
        in (checks.justification_errors([alert], too_long)["heures_realisees"])
    )
    assert checks.justification_errors([alert], {"heures_realisees": "x" * 1000}) == {}
