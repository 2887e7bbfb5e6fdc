"""The état of a habilitation (rule 6) is decided once: Habilitation.etat(), the queryset's with_etat()
and in_etat() agree, and the pages that lead back to the search use it."""

import datetime

import pytest
from django.urls import reverse

from afas.models import Etat, Habilitation
from tests.afas.factories import HabilitationFactory
from tests.clock import TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]

CASES = {
    "in force": ({}, Etat.ACTIF),
    "validated approbateur": ({"validated": True}, Etat.ACTIF),
    "pending approbateur": ({"approbateur": True}, Etat.INACTIF),
    "refused approbateur": ({"refused": True}, Etat.INACTIF),
    "starts tomorrow": ({"debut": TODAY + datetime.timedelta(days=1)}, Etat.INACTIF),
    "user closed": ({"user__closed": True}, Etat.INACTIF),
    "ended": ({"ended": True}, Etat.HISTORIQUE),
    "cancelled before it started": (
        {"debut": TODAY + datetime.timedelta(days=3), "fin": TODAY + datetime.timedelta(days=3)},
        Etat.HISTORIQUE,
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_etat_is_the_same_on_the_row_in_the_annotation_and_in_the_search(case, activite):
    traits, expected = CASES[case]
    habilitation = HabilitationFactory(activite=activite, **traits)
    assert habilitation.etat() == expected
    assert Habilitation.objects.with_etat().get(pk=habilitation.pk).etat_on == expected
    for etat in (Etat.ACTIF, Etat.HISTORIQUE, Etat.INACTIF):
        listed = Habilitation.objects.in_etat(etat).filter(pk=habilitation.pk).exists()
        assert listed == (etat == expected), etat


def cancel_link(client, habilitation):
    response = client.get(reverse("afas:habilitation_end", args=[habilitation.pk]))
    assert response.status_code == 200
    return response.context["back_url"]


@pytest.mark.parametrize(
    ("traits", "etat"),
    [
        ({}, "actif"),
        ({"approbateur": True}, "inactif"),
        ({"refused": True}, "inactif"),  # started, yet refused by the Caf: not « Actif »
        ({"user__closed": True}, "inactif"),  # started, yet its user's account is closed
        ({"debut": TODAY + datetime.timedelta(days=2)}, "inactif"),
    ],
    ids=["in force", "pending", "refused approbateur", "closed user", "to come"],
)
def test_cancelling_the_end_leads_back_to_the_etat_the_habilitation_is_listed_under(
    client, manager, activite, traits, etat
):
    habilitation = HabilitationFactory(activite=activite, **traits)
    client.force_login(manager)
    link = cancel_link(client, habilitation)
    assert f"etat={etat}" in link
    listed = client.get(link).content.decode()
    assert reverse("afas:habilitation_end", args=[habilitation.pk]) in listed
