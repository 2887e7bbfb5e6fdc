from decimal import Decimal

import pytest
from django.urls import reverse

from afas.declarations.stats import statistics_for
from afas.models import State
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


def test_statistics_compare_with_the_caf_and_national_means(known):
    [item] = statistics_for([known])
    assert item["exercices"] == [2024]
    prix, taux, heures = item["charts"]
    assert prix.rows[0]["activite"] == "2,00 €"
    assert prix.rows[0]["caf"] == "3,00 €"  # (2 + 4) / 2
    assert prix.rows[0]["national"] == "2,33 €"  # (2 + 4 + 1) / 3
    assert taux.rows[0]["activite"] == "62,5 %"  # 50 000 ÷ 80 000
    assert heures.rows[0]["activite"] == "625,0 h"  # 50 000 ÷ 80 enfants
    assert len(prix.bars) == 3 and max(bar["height"] for bar in prix.bars) > 0


def test_bars_are_proportional(known):
    prix = statistics_for([known])[0]["charts"][0]
    heights = {bar["series"]: Decimal(str(bar["height"])) for bar in prix.bars}
    assert heights["caf"] / heights["activite"] == pytest.approx(Decimal("1.5"), rel=Decimal("0.01"))


def test_statistics_page_shows_charts_and_tables_of_my_activites_only(client, known):
    client.force_login(HabilitationFactory(activite=known).user)
    page = client.get(reverse("afas:statistics")).content.decode()
    assert "Péri Assoc" in page and "<svg" in page and "données du graphique" in page
    assert "3,00 €" in page and "2,33 €" in page


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
