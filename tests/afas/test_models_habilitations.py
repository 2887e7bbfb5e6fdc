import datetime

import pytest
from django.db import IntegrityError, transaction

from afas.habilitations.services import end_habilitation
from afas.models import Habilitation, Role
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import HabilitationFactory, LieuFactory
from tests.clock import TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]


def states(habilitation):
    queryset = Habilitation.objects.filter(pk=habilitation.pk)
    return {
        "actif": queryset.in_force().exists(),
        "historique": queryset.ended().exists(),
        "inactif": queryset.inactive().exists(),
    }


def test_fr_da_started_is_in_force():
    assert states(HabilitationFactory()) == {"actif": True, "historique": False, "inactif": False}


def test_pending_approbateur_grants_nothing():
    assert states(HabilitationFactory(approbateur=True)) == {
        "actif": False,
        "historique": False,
        "inactif": True,
    }


def test_validated_approbateur_is_in_force():
    assert states(HabilitationFactory(validated=True))["actif"]


def test_refused_approbateur_is_inactive():
    habilitation = HabilitationFactory(refused=True)
    assert states(habilitation) == {"actif": False, "historique": False, "inactif": True}


def test_future_start_is_inactive_until_that_day():
    habilitation = HabilitationFactory(debut=TODAY + datetime.timedelta(days=3))
    assert states(habilitation)["inactif"]
    assert (
        Habilitation.objects.filter(pk=habilitation.pk).in_force(TODAY + datetime.timedelta(days=3)).exists()
    )


def test_ended_today_moves_to_historique_at_once():
    habilitation = HabilitationFactory(fin=TODAY)
    assert states(habilitation) == {"actif": False, "historique": True, "inactif": False}


def test_closing_the_user_today_deactivates_at_once():
    habilitation = HabilitationFactory()
    habilitation.user.date_cloture = TODAY
    habilitation.user.save()
    assert states(habilitation) == {"actif": False, "historique": False, "inactif": True}


def test_closing_the_declarer_membership_today_deactivates_at_once():
    habilitation = HabilitationFactory()
    habilitation.user.memberships.update(date_cloture=TODAY)
    assert states(habilitation) == {"actif": False, "historique": False, "inactif": True}


def test_user_outside_afas_declarer_holds_nothing():
    user = UserFactory()  # no group
    habilitation = HabilitationFactory(user=user)
    assert not states(habilitation)["actif"]


def test_database_refuses_fr_df_on_a_lieu():
    lieu = LieuFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HabilitationFactory(role=Role.FR_DF, activite=lieu.activite, lieu=lieu)


def test_database_refuses_two_open_habilitations_on_the_same_scope():
    first = HabilitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HabilitationFactory(user=first.user, activite=first.activite)


def test_overlapping_finds_same_user_role_and_scope_only():
    existing = HabilitationFactory(fin=datetime.date(2024, 1, 1))
    overlapping = Habilitation.objects.overlapping
    assert overlapping(existing.user, Role.FR_DA, existing.activite, None, datetime.date(2023, 6, 1)).exists()
    assert not overlapping(
        existing.user, Role.FR_DA, existing.activite, None, datetime.date(2024, 1, 1)
    ).exists()
    assert not overlapping(
        existing.user, Role.FR_DF, existing.activite, None, datetime.date(2023, 6, 1)
    ).exists()
    lieu = LieuFactory(activite=existing.activite)
    assert not overlapping(
        existing.user, Role.FR_DA, existing.activite, lieu, datetime.date(2023, 6, 1)
    ).exists()


def test_ending_before_the_start_moves_to_historique_at_once():
    # « Supprimer » on a habilitation not started yet sets fin = debut (it never applies): it is over.
    habilitation = HabilitationFactory(debut=TODAY + datetime.timedelta(days=30))
    end_habilitation(habilitation, ended_by=UserFactory())
    assert states(habilitation) == {"actif": False, "historique": True, "inactif": False}
    assert habilitation.is_ended()
    with pytest.raises(Refused):
        end_habilitation(habilitation, ended_by=UserFactory())


def test_not_ended_is_what_ended_leaves_out():
    held = HabilitationFactory()
    to_come = HabilitationFactory(
        financial=True, user=held.user, activite=held.activite, debut=TODAY.replace(year=2027)
    )
    ended = HabilitationFactory(on_lieu=True, user=held.user, activite=held.activite, ended=True)
    # Ended before it started (« supprimer » before its début): never applies, in Historique.
    void = HabilitationFactory(on_lieu=True, user=held.user, activite=held.activite, debut=TODAY, fin=TODAY)
    everything = Habilitation.objects.filter(user=held.user)
    assert set(everything.not_ended()) == {held, to_come} == set(everything) - set(everything.ended())
    assert {ended, void} <= set(everything.ended())
