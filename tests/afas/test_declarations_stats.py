from decimal import Decimal

import pytest
from django.urls import reverse

from afas.declarations import rollup
from afas.declarations.stats import statistics_for
from afas.models import State
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory

from .declarations_data import activity, financial

pytestmark = pytest.mark.django_db


def validated(activite, exercice, **values):
    return DeclarationFactory(
        activite=activite,
        exercice=exercice,
        state=State.VALIDEE,
        values=activity(**values),
        financial=financial(),
    )


@pytest.fixture
def known():
    """Prix de revient: this activité 2,00 € (50 000 h), a sibling in its Caf 4,00 € (25 000 h), an activité
    of another Caf 1,00 € (100 000 h, capacité raised to allow it)."""
    mine = ActiviteFactory(nom="Péri Assoc")
    sibling = ActiviteFactory(organisme__caf=mine.organisme.caf)
    elsewhere = ActiviteFactory()
    validated(mine, 2024)
    validated(sibling, 2024, heures_realisees_moins_6="10000", heures_realisees_6_plus="15000")
    validated(
        elsewhere, 2024, capacite="80", heures_realisees_moins_6="40000", heures_realisees_6_plus="60000"
    )
    DeclarationFactory(
        activite=sibling, exercice=2025, values=activity(heures_realisees_6_plus="1")
    )  # not validated
    return mine


def test_statistics_compare_with_the_caf_and_national_averages_as_ratios_of_sums(known):
    [item] = statistics_for([known])
    assert item["exercices"] == [2024]
    prix, taux, heures = item["charts"]
    assert prix.rows[0]["activite"] == "2,00\u00a0€"
    assert prix.rows[0]["caf"] == "2,67\u00a0€"  # 200 000 € ÷ 75 000 h, not (2 + 4) / 2
    assert prix.rows[0]["national"] == "1,71\u00a0€"  # 300 000 € ÷ 175 000 h, not (2 + 4 + 1) / 3
    assert taux.rows[0]["activite"] == "62,5\u00a0%"  # 50 000 ÷ 80 000
    assert taux.rows[0]["caf"] == "46,9\u00a0%"  # 75 000 h ÷ 160 000 h
    assert heures.rows[0]["activite"] == "625,0\u00a0h"  # 50 000 ÷ 80 enfants
    assert heures.rows[0]["national"] == "729,2\u00a0h"  # 175 000 h ÷ 240 enfants
    assert len(prix.bars) == 3 and max(bar["height"] for bar in prix.bars) > 0


def test_bars_are_proportional(known):
    prix = statistics_for([known])[0]["charts"][0]
    heights = {bar["series"]: Decimal(str(bar["height"])) for bar in prix.bars}
    assert heights["caf"] / heights["activite"] == pytest.approx(Decimal("1.333"), rel=Decimal("0.01"))


def test_statistics_page_shows_charts_and_tables_of_my_activites_only(client, known):
    client.force_login(HabilitationFactory(activite=known).user)
    page = client.get(reverse("afas:statistics")).content.decode()
    assert "Péri Assoc" in page and "<svg" in page and "données du graphique" in page
    assert "2,67\u00a0€" in page and "1,71\u00a0€" in page
    assert "total des charges des activités ÷ total de leurs heures réalisées" in page
    assert "écartées des moyennes" in page


def test_activite_without_validated_declaration_says_so(client):
    habilitation = HabilitationFactory()
    client.force_login(habilitation.user)
    page = client.get(reverse("afas:statistics")).content.decode()
    assert "Aucune déclaration réelle validée" in page


def test_statistics_never_name_other_partners_activites(client, known):
    foreign = ActiviteFactory(nom="Activité d'ailleurs")
    validated(foreign, 2024)
    client.force_login(HabilitationFactory(activite=known).user)
    page = client.get(reverse("afas:statistics")).content.decode()
    assert "ailleurs" not in page


def test_implausible_declarations_are_left_out_of_the_averages(known):
    caf = known.organisme.caf
    # 400 jours d'ouverture and 99 999 999 € of charges, validated before the checks existed
    validated(ActiviteFactory(organisme__caf=caf), 2024, jours_ouverture="400")
    typo = validated(ActiviteFactory(), 2024)
    typo.financial_data.values = financial(c64="99999999")
    typo.financial_data.save()
    rollup.rebuild()  # figures written behind the services' back are read again, as they now stand
    prix = statistics_for([known])[0]["charts"][0]
    assert prix.rows[0]["caf"] == "2,67\u00a0€" and prix.rows[0]["national"] == "1,71\u00a0€"


def test_an_implausible_declaration_of_the_activite_is_shown_but_said_left_out(client):
    habilitation = HabilitationFactory()
    validated(habilitation.activite, 2024, heures_ouverture_jour="25")
    [item] = statistics_for([habilitation.activite])
    assert item["outliers"] == [2024]
    assert item["charts"][0].rows[0]["activite"] == "2,00\u00a0€" and item["charts"][0].rows[0]["caf"] == "—"
    client.force_login(habilitation.user)
    page = client.get(reverse("afas:statistics")).content.decode()
    assert "ne passent pas les contrôles de vraisemblance" in page


@pytest.mark.parametrize("activites", [1, 6])
def test_statistics_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, activites):
    user = UserFactory(declarant=True)
    for _ in range(activites):
        habilitation = HabilitationFactory(user=user)
        for exercice in (2023, 2024):
            validated(habilitation.activite, exercice)
            validated(ActiviteFactory(organisme__caf=habilitation.activite.organisme.caf), exercice)
    client.force_login(user)
    # session, user, groups, administrator or not, the user's activité ids, their activités, their own
    # figures, the sums of their Cafs, the national sums (afas/declarations/rollup.py), session update;
    # 2 savepoints (the page itself is not atomic: it only reads)
    with django_assert_num_queries(12):
        assert client.get(reverse("afas:statistics")).status_code == 200
