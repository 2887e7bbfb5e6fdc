import datetime
from unittest import mock

import pytest
from django.core import mail
from django.test import RequestFactory

from afas.habilitations import services
from afas.habilitations.services import (
    end_habilitation,
    grant_habilitations,
    refuse_approbateur,
    suspend_habilitation,
    validate_approbateur,
)
from afas.models import AuditEvent, Habilitation, Role
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import CafFactory

pytestmark = on_today


def grant(manager, declarant, role, activites=(), lieux=(), debut=TODAY, organisme=None):
    return grant_habilitations(
        granted_by=manager,
        organisme=organisme or declarant.organisme,
        user=declarant,
        role=role,
        debut=debut,
        activites=activites,
        lieux=lieux,
        ip_address="192.0.2.7",
    )


def test_grant_creates_one_habilitation_per_scope_with_audit(manager, declarant, lieux):
    created = grant(manager, declarant, Role.FR_DA, lieux=lieux)
    assert [h.lieu for h in created] == lieux
    assert all(h.caf_decision == Habilitation.CafDecision.NOT_REQUIRED for h in created)
    assert Habilitation.objects.in_force().filter(user=declarant).count() == 2
    event = AuditEvent.objects.get(habilitation=created[0])
    assert (event.action, event.actor, event.subject, event.ip_address) == (
        "grant",
        manager,
        declarant,
        "192.0.2.7",
    )


def test_approbateur_waits_for_the_caf(manager, declarant, activite):
    (habilitation,) = grant(manager, declarant, Role.APPROBATEUR, activites=[activite])
    assert habilitation.is_pending
    assert not Habilitation.objects.in_force().filter(pk=habilitation.pk).exists()


def test_only_current_declarants_of_the_partner_can_be_habilitated(manager, activite, other_organisme):
    not_in_group = UserFactory(organisme=activite.organisme)
    other_partner = UserFactory(organisme=other_organisme, declarant=True)
    for user in (not_in_group, other_partner):
        with pytest.raises(Refused, match="AFAS-DECLARER"):
            grant(manager, user, Role.FR_DA, activites=[activite], organisme=activite.organisme)
    assert not Habilitation.objects.exists()


def test_closed_membership_cannot_be_habilitated(manager, declarant, activite):
    declarant.memberships.update(date_cloture=TODAY)
    with pytest.raises(Refused, match="AFAS-DECLARER"):
        grant(manager, declarant, Role.FR_DA, activites=[activite])


@pytest.mark.parametrize("role", [Role.FR_DF, Role.APPROBATEUR])
def test_fr_df_and_approbateur_only_on_activites(manager, declarant, lieux, role):
    with pytest.raises(Refused, match="uniquement sur des activités"):
        grant(manager, declarant, role, lieux=lieux)


def test_start_date_cannot_be_in_the_past(manager, declarant, activite):
    with pytest.raises(Refused, match="passé"):
        grant(manager, declarant, Role.FR_DA, activites=[activite], debut=TODAY - datetime.timedelta(days=1))


def test_overlap_is_refused_naming_it_and_nothing_is_saved(manager, declarant, activite):
    other = ActiviteFactory(organisme=activite.organisme, nom="Extra Assoc")
    HabilitationFactory(user=declarant, activite=activite, debut=datetime.date(2020, 1, 1))
    with pytest.raises(Refused) as error:
        grant(manager, declarant, Role.FR_DA, activites=[other, activite])
    assert "« Fournisseur de données d'activité » sur Péri Assoc à partir du 01/01/2020" in str(error.value)
    assert not Habilitation.objects.filter(activite=other).exists()


def test_refused_approbateur_does_not_block_a_new_request(manager, declarant, activite):
    HabilitationFactory(user=declarant, activite=activite, refused=True)
    assert grant(manager, declarant, Role.APPROBATEUR, activites=[activite])


def test_save_is_all_or_nothing(manager, declarant, lieux):
    real_record = services.record
    calls = []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("panne")
        return real_record(*args, **kwargs)

    with mock.patch.object(services, "record", failing_record), pytest.raises(RuntimeError):
        grant(manager, declarant, Role.FR_DA, lieux=lieux)
    assert not Habilitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_scope_of_another_partner_is_refused(manager, declarant, other_organisme):
    foreign = ActiviteFactory(organisme=other_organisme)
    with pytest.raises(Refused, match="n'appartiennent pas"):
        grant(manager, declarant, Role.FR_DA, activites=[foreign])


def test_end_sets_today_and_keeps_the_row(manager, declarant, activite):
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    end_habilitation(habilitation, ended_by=manager, ip_address="192.0.2.8")
    habilitation.refresh_from_db()
    assert (habilitation.fin, habilitation.ended_by) == (TODAY, manager)
    assert Habilitation.objects.ended().filter(pk=habilitation.pk).exists()
    assert AuditEvent.objects.filter(habilitation=habilitation, action="end", ip_address="192.0.2.8").exists()
    with pytest.raises(Refused):
        end_habilitation(habilitation, ended_by=manager)


def test_ten_ends_of_one_habilitation_sent_at_once_write_one_event(manager, declarant, activite):
    """Ten « Supprimer » of the same page, each request holding the row as it was read (a sequential
    replay of the race): one end, one « end » event, nine refusals (audit, issue 13)."""
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    pages = [Habilitation.objects.get(pk=habilitation.pk) for _ in range(10)]
    refused = 0
    for page in pages:
        try:
            end_habilitation(page, ended_by=manager)
        except Refused:
            refused += 1
    assert refused == 9
    assert AuditEvent.objects.filter(habilitation=habilitation, action="end").count() == 1


def test_validation_by_the_partners_caf_activates_and_mails_the_administrator(
    manager, declarant, activite, agent
):
    habilitation = HabilitationFactory(user=declarant, activite=activite, approbateur=True)
    validate_approbateur(habilitation, agent=agent, ip_address="10.0.0.1", request=RequestFactory().get("/"))
    assert Habilitation.objects.in_force().filter(pk=habilitation.pk).exists()
    assert mail.outbox[0].to == [manager.email]
    assert "validé" in mail.outbox[0].subject
    assert "http://testserver/afas/administration-des-profils/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(habilitation=habilitation, action="validated", actor=agent).exists()


def test_refusal_requires_a_motif_and_mails_it(manager, declarant, activite, agent):
    habilitation = HabilitationFactory(user=declarant, activite=activite, approbateur=True)
    with pytest.raises(Refused, match="motif"):
        refuse_approbateur(habilitation, agent=agent, motif="  ")
    refuse_approbateur(habilitation, agent=agent, motif="Pas de délégation de signature")
    habilitation.refresh_from_db()
    assert habilitation.caf_decision == "refused"
    assert "Pas de délégation de signature" in mail.outbox[0].body
    assert Habilitation.objects.inactive().filter(pk=habilitation.pk).exists()


def test_agent_of_another_caf_cannot_decide_or_suspend(declarant, activite):
    stranger = UserFactory(caf_agent=True, caf=CafFactory(nom="Caf des Bouches-du-Rhône", code="131"))
    habilitation = HabilitationFactory(user=declarant, activite=activite, approbateur=True)
    with pytest.raises(Refused):
        validate_approbateur(habilitation, agent=stranger)
    with pytest.raises(Refused):
        suspend_habilitation(habilitation, agent=stranger)
    habilitation.refresh_from_db()
    assert habilitation.is_pending and habilitation.fin is None


def test_agent_suspends_at_once(declarant, activite, agent):
    habilitation = HabilitationFactory(user=declarant, activite=activite)
    suspend_habilitation(habilitation, agent=agent)
    assert Habilitation.objects.ended().filter(pk=habilitation.pk).exists()
    assert AuditEvent.objects.filter(habilitation=habilitation, action="suspend", actor=agent).exists()


def test_a_simultaneous_identical_grant_is_refused_with_a_message(manager, declarant, lieux):
    # Another administrator saved the same habilitation between our checks and our insert: the database
    # constraint refuses it; the user gets a message (not an error page) and nothing of ours is kept.
    HabilitationFactory(user=declarant, activite=lieux[1].activite, lieu=lieux[1])
    with (
        mock.patch.object(services, "check_grant", return_value=[]),
        pytest.raises(Refused) as error,
    ):
        grant(manager, declarant, Role.FR_DA, lieux=lieux)
    assert "vient d'être enregistrée" in " ".join(error.value.messages)
    assert Habilitation.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=manager).exists()
