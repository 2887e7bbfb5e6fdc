"""Rules 20 to 22: the lines of a « Revue des habilitations », confirming and ending them, the date limite,
the Caf's progress, reminders and export."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from afas.models import AuditAction, AuditEvent, Habilitation, Outcome, ReviewDecision, Unreviewed
from afas.reviews import services
from conventions.models import HabilitationGroup, Membership
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import AccessReviewFactory, HabilitationFactory
from tests.clock import NOW, TODAY, on_today

pytestmark = on_today


@pytest.fixture
def review(organisme):
    return AccessReviewFactory(organisme=organisme)


@pytest.fixture
def habilitation(activite, declarant):
    return HabilitationFactory(activite=activite, user=declarant)


def organismes(review):
    return services.reviewed_organismes(review)


def test_the_lines_are_the_habilitations_in_force_and_the_afas_memberships(review, habilitation, declarant):
    HabilitationFactory(activite=habilitation.activite, user=declarant, ended=True, financial=True)
    habilitations, memberships = services.lines_to_review(review, organismes(review))
    assert list(habilitations) == [habilitation]
    assert [m.group.code for m in memberships] == [HabilitationGroup.DECLARER]


def test_a_campaign_for_every_partner_of_the_caf_reviews_them_all(organisme, other_organisme, habilitation):
    other_organisme.caf = organisme.caf
    other_organisme.save()
    review = AccessReviewFactory(organisme=None, caf=organisme.caf)
    assert set(services.reviewed_organismes(review)) == {organisme, other_organisme}


def test_confirming_records_who_when_and_ip_and_leaves_the_habilitation_as_it_is(
    review, habilitation, manager
):
    selection = services.select_lines(review, organismes(review), values=[f"h-{habilitation.pk}"])
    assert services.confirm_lines(review, selection, by=manager, ip_address="192.0.2.7") == 1
    decision = ReviewDecision.objects.get(habilitation=habilitation)
    assert (decision.outcome, decision.decided_by, decision.ip_address) == (
        Outcome.CONFIRMED,
        manager,
        "192.0.2.7",
    )
    habilitation.refresh_from_db()
    assert habilitation.fin is None
    event = AuditEvent.objects.get(action=AuditAction.REVIEW_CONFIRMED)
    assert (event.actor, event.habilitation, event.ip_address) == (manager, habilitation, "192.0.2.7")
    habilitations, _ = services.lines_to_review(review, organismes(review))
    assert not habilitations.exists()


def test_ending_goes_to_historique_as_any_end(review, habilitation, manager):
    selection = services.select_lines(review, organismes(review), values=[f"h-{habilitation.pk}"])
    services.end_lines(review, selection, by=manager, ip_address="192.0.2.7")
    habilitation.refresh_from_db()
    assert habilitation.fin == TODAY and habilitation.ended_by == manager
    assert Habilitation.objects.ended().filter(pk=habilitation.pk).exists()
    assert ReviewDecision.objects.get(habilitation=habilitation).outcome == Outcome.ENDED
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_ENDED, habilitation=habilitation).exists()


def test_ending_a_membership_closes_it_today(review, declarant, manager):
    membership = declarant.memberships.get()
    selection = services.select_lines(review, organismes(review), values=[f"m-{membership.pk}"])
    services.end_lines(review, selection, by=manager)
    membership.refresh_from_db()
    assert membership.date_cloture == TODAY and membership.closed_by == manager
    assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_CLOSED, subject=declarant).exists()


def test_every_line_of_one_user_at_once(review, habilitation, declarant, manager):
    selection = services.select_lines(review, organismes(review), user_pk=declarant.pk)
    assert services.confirm_lines(review, selection, by=manager) == 2  # the habilitation and AFAS-DECLARER
    assert set(ReviewDecision.objects.values_list("outcome", flat=True)) == {Outcome.CONFIRMED}


def test_another_partners_line_is_never_selected(review, other_organisme, manager):
    foreign = HabilitationFactory(activite__organisme=other_organisme)
    selection = services.select_lines(review, organismes(review), values=[f"h-{foreign.pk}", "x-1", "h-abc"])
    assert not selection
    with pytest.raises(Refused, match="Cochez au moins une ligne"):
        services.confirm_lines(review, selection, by=manager)


def test_a_line_is_decided_once(review, habilitation, manager):
    values = [f"h-{habilitation.pk}"]
    services.confirm_lines(
        review, services.select_lines(review, organismes(review), values=values), by=manager
    )
    assert not services.select_lines(review, organismes(review), values=values)
    # Two administrators at once: the second decision is refused by the database and skipped.
    stale = services.Selection(habilitations=[habilitation])
    assert services.end_lines(review, stale, by=manager) == 0
    habilitation.refresh_from_db()
    assert habilitation.fin is None


def test_nothing_is_decided_after_the_date_limite(review, habilitation, manager):
    selection = services.select_lines(review, organismes(review), values=[f"h-{habilitation.pk}"])
    with day_after(review), pytest.raises(Refused, match="n'est plus ouverte"):
        services.confirm_lines(review, selection, by=manager)


def day_after(review):
    return time_machine.travel(NOW + (review.date_limite - TODAY) + datetime.timedelta(days=1))


def test_unreviewed_lines_are_kept_and_flagged_once(review, habilitation, declarant):
    with day_after(review):
        call_command("close_access_reviews", stdout=io.StringIO())
        call_command("close_access_reviews", stdout=io.StringIO())  # the next day's run: nothing twice
    assert sorted(ReviewDecision.objects.values_list("outcome", flat=True)) == [Outcome.KEPT_UNREVIEWED] * 2
    habilitation.refresh_from_db()
    assert habilitation.fin is None
    review.refresh_from_db()
    assert review.closed_at is not None
    assert [(row.flagged, row.to_review) for row in services.progress(review)] == [(2, 0)]


def test_unreviewed_lines_are_ended_when_the_campaign_says_so(organisme, habilitation, declarant):
    review = AccessReviewFactory(organisme=organisme, unreviewed=Unreviewed.END)
    confirmed = HabilitationFactory(activite=habilitation.activite, user=declarant, financial=True)
    services.confirm_lines(review, services.Selection(habilitations=[confirmed]), by=None)
    with day_after(review):
        call_command("cleanup", stdout=io.StringIO())  # the daily job runs it
        habilitation.refresh_from_db()
        assert habilitation.fin == review.date_limite + datetime.timedelta(days=1)
        assert not Membership.objects.current().filter(user=declarant).exists()
    confirmed.refresh_from_db()
    assert confirmed.fin is None
    assert ReviewDecision.objects.filter(outcome=Outcome.ENDED_UNREVIEWED).count() == 2


def test_a_campaign_before_its_date_limite_is_not_handled(review, habilitation):
    assert services.handle_due_reviews() == {}
    assert not ReviewDecision.objects.exists()


def test_progress_per_partner(review, habilitation, declarant, manager, activite):
    ended = HabilitationFactory(activite=activite, financial=True, user__organisme=review.organisme)
    services.confirm_lines(review, services.Selection(habilitations=[habilitation]), by=manager)
    services.end_lines(review, services.Selection(habilitations=[ended]), by=manager)
    [row] = services.progress(review)
    # to review: the memberships of the declarant, of the other user, and the manager's AFAS-HABILITER
    assert (row.organisme, row.reviewed, row.ended, row.to_review) == (review.organisme, 1, 1, 3)


def test_reminder_mails_the_reviewers_through_the_queue(review, habilitation, manager, mailoutbox):
    manager.email = "claire.bernard@clos-des-potiers.fr"
    manager.save()
    UserFactory(organisme=review.organisme, partner_admin=True, email="sans.habiliter@example.fr")
    assert services.send_reminders(review, by=None) == 1
    [mail] = mailoutbox
    assert mail.to == ["claire.bernard@clos-des-potiers.fr"]
    assert "revue des habilitations" in mail.subject.lower()
    assert f"/afas/revue-des-habilitations/{review.pk}/" in mail.body
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_REMINDED).count() == 1


def test_no_reminder_when_everything_is_reviewed(review, manager, mailoutbox):
    services.confirm_lines(
        review, services.select_lines(review, organismes(review), everything=True), by=manager
    )
    assert services.send_reminders(review, by=None) == 0
    assert mailoutbox == []


def test_export_holds_the_progress_and_every_decision(review, habilitation, manager):
    habilitation.user.nom = "=HYPERLINK(1)"
    habilitation.user.save()
    services.confirm_lines(
        review, services.Selection(habilitations=[habilitation]), by=manager, ip_address="192.0.2.7"
    )
    book = load_workbook(io.BytesIO(services.to_xlsx(review)))
    progress = list(book["Avancement"].values)
    assert progress[0] == ("Organisme partenaire", "Revues", "À revoir", "Terminées", "Non revues, signalées")
    assert progress[1][:2] == (review.organisme.raison_sociale, 1)
    [header, row] = list(book["Décisions"].values)
    assert header == (
        "Organisme partenaire",
        "Identifiant",
        "Utilisateur",
        "Ligne",
        "Décision",
        "Par",
        "Le",
        "Adresse IP",
    )
    assert row[4] == "Confirmée" and row[7] == "192.0.2.7"
    assert row[2].startswith("'=")  # never run as a formula
