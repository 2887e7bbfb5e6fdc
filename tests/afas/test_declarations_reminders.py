"""The declaration mails of rules 28–29: the daily job (campaign openings, reminders 15 and 3 days before the
date limite), the Caf's return and validation, and who never gets them."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from afas.declarations import services
from afas.declarations.notifications import notify_to_approve, record_sent
from afas.models import Campaign, DeclarationType, MailKind, SentReminder, State
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    ActiviteFactory,
    CampaignFactory,
    DeclarationFactory,
    HabilitationFactory,
    MailPreferenceFactory,
)
from tests.clock import NOW, TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]

DAY = datetime.timedelta(days=1)


def declaration_due_in(days, opening=TODAY - 30 * DAY, type=DeclarationType.REEL, **kwargs):
    activite = kwargs.pop("activite", None) or ActiviteFactory(nom="Péri Assoc")
    campaign = CampaignFactory(
        caf=activite.organisme.caf,
        activity_type=activite.type,
        type=type,
        date_ouverture=opening,
        date_limite=TODAY + days * DAY,
    )
    return DeclarationFactory(activite=activite, campaign=campaign, type=type, **kwargs)


def run_daily_job():
    call_command("send_declaration_reminders", verbosity=0)


def reminders(outbox):
    """The reminders among the mails sent (the job also announces the campaigns that are open)."""
    return [message for message in outbox if message.subject.startswith("Rappel")]


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_fifteen_days_before_the_date_limite_providers_and_approbateur_are_reminded(mailoutbox):
    declaration = declaration_due_in(15)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    HabilitationFactory(activite=declaration.activite, financial=True, user__email="df@example.fr")
    HabilitationFactory(activite=declaration.activite, validated=True, user__email="appro@example.fr")
    run_daily_job()
    assert recipients(reminders(mailoutbox)) == ["appro@example.fr", "da@example.fr", "df@example.fr"]
    message = reminders(mailoutbox)[0]
    assert message.subject == f"Rappel : déclaration à transmettre avant le {TODAY + 15 * DAY:%d/%m/%Y}"
    assert "Réel 2025 — Péri Assoc" in message.body and "dans 15 jours" in message.body
    assert "http://testserver/afas/declarations/" not in message.body  # no request: the site's address
    assert "/afas/mes-notifications/" in message.body


def test_the_daily_job_run_twice_sends_each_mail_once(mailoutbox):
    declaration = declaration_due_in(15)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    run_daily_job()
    assert recipients(reminders(mailoutbox)) == ["da@example.fr"]
    assert SentReminder.objects.filter(declaration=declaration, kind=MailKind.REMINDER_15).count() == 1


def test_the_second_reminder_comes_three_days_before(mailoutbox, time_machine):
    declaration = declaration_due_in(15)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    time_machine.move_to(NOW + 11 * DAY)  # 4 days left: the first reminder went already
    run_daily_job()
    assert len(reminders(mailoutbox)) == 1
    time_machine.move_to(NOW + 12 * DAY)
    run_daily_job()
    run_daily_job()
    assert len(reminders(mailoutbox)) == 2
    assert "dans 3 jours" in reminders(mailoutbox)[1].body


def test_a_day_without_job_delays_the_reminder_to_the_next_run(mailoutbox):
    declaration = declaration_due_in(14)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert "dans 14 jours" in reminders(mailoutbox)[0].body


def test_a_declaration_reaching_the_last_days_gets_only_the_second_reminder(mailoutbox):
    declaration = declaration_due_in(2)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert len(reminders(mailoutbox)) == 1 and "dans 2 jours" in reminders(mailoutbox)[0].body
    assert list(SentReminder.objects.filter(declaration=declaration).values_list("kind", flat=True)) == [
        MailKind.REMINDER_3
    ]


@pytest.mark.parametrize("days", [16, -1])
def test_no_reminder_too_early_nor_after_the_date_limite(mailoutbox, days):
    declaration = declaration_due_in(days)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert reminders(mailoutbox) == []


@pytest.mark.parametrize("state", [State.TRANSMISE, State.VALIDEE])
def test_no_reminder_about_a_transmitted_declaration(mailoutbox, state):
    declaration = declaration_due_in(3, state=state)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert reminders(mailoutbox) == []


@pytest.mark.parametrize("state", [State.EN_COURS, State.A_APPROUVER, State.A_CORRIGER])
def test_a_declaration_still_in_the_partners_hands_is_reminded(mailoutbox, state):
    declaration = declaration_due_in(3, state=state)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert recipients(reminders(mailoutbox)) == ["da@example.fr"]


def test_no_reminder_before_the_campaign_opens(mailoutbox):
    declaration = declaration_due_in(10, opening=TODAY + DAY)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    run_daily_job()
    assert reminders(mailoutbox) == []


def test_no_mail_to_who_turned_it_off_a_closed_user_or_someone_without_a_role_on_the_activite(mailoutbox):
    declaration = declaration_due_in(15)
    activite = declaration.activite
    HabilitationFactory(activite=activite, user__email="da@example.fr")
    off = HabilitationFactory(activite=activite, financial=True, user__email="off@example.fr")
    MailPreferenceFactory(user=off.user, kind=MailKind.REMINDER_15)
    HabilitationFactory(activite=activite, user__email="closed@example.fr", user__closed=True)
    HabilitationFactory(activite=activite, ended=True, user__email="ended@example.fr")
    HabilitationFactory(activite=activite, approbateur=True, user__email="pending@example.fr")
    HabilitationFactory(activite=ActiviteFactory(), user__email="elsewhere@example.fr")
    UserFactory(declarant=True, organisme=activite.organisme, email="norole@example.fr")
    run_daily_job()
    assert recipients(reminders(mailoutbox)) == ["da@example.fr"]


def test_turning_off_one_reminder_keeps_the_other(mailoutbox):
    declaration = declaration_due_in(3)
    habilitation = HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    MailPreferenceFactory(user=habilitation.user, kind=MailKind.REMINDER_15)
    run_daily_job()
    assert recipients(reminders(mailoutbox)) == ["da@example.fr"]


def test_one_mail_lists_every_declaration_due_of_the_user(mailoutbox):
    first = declaration_due_in(10)
    second = declaration_due_in(
        12,
        type=DeclarationType.PREVISIONNEL,
        activite=ActiviteFactory(nom="Extra Assoc", organisme=first.activite.organisme),
    )
    user = HabilitationFactory(activite=first.activite, user__email="da@example.fr").user
    HabilitationFactory(activite=second.activite, user=user)
    run_daily_job()
    assert len(reminders(mailoutbox)) == 1
    assert reminders(mailoutbox)[0].subject == "Rappel : 2 déclarations à transmettre"
    body = reminders(mailoutbox)[0].body
    assert body.index("Péri Assoc") < body.index("Extra Assoc")  # the nearest date limite first


def test_a_reminder_already_recorded_is_not_recorded_again():
    declaration = declaration_due_in(10)
    user = HabilitationFactory(activite=declaration.activite).user
    with transaction.atomic():
        assert record_sent(user, MailKind.REMINDER_15, declaration=declaration)
        assert not record_sent(user, MailKind.REMINDER_15, declaration=declaration)
    assert record_sent(user, MailKind.REMINDER_3, declaration=declaration)


def campaign_of(activite, opening):
    return Campaign(
        caf=activite.organisme.caf,
        activity_type=activite.type,
        type="previsionnel",
        exercice=2027,
        date_ouverture=opening,
        date_limite=opening + 90 * DAY,
    )


def test_a_campaign_opening_today_mails_its_providers_and_approbateurs_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    activite = ActiviteFactory(nom="Péri Assoc")
    HabilitationFactory(activite=activite, user__email="da@example.fr")
    HabilitationFactory(activite=activite, validated=True, user__email="appro@example.fr")
    off = HabilitationFactory(activite=activite, financial=True, user__email="off@example.fr")
    MailPreferenceFactory(user=off.user, kind=MailKind.CAMPAIGN_OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        services.open_campaign(campaign_of(activite, TODAY), UserFactory(caf_agent=True))
    assert recipients(mailoutbox) == ["appro@example.fr", "da@example.fr"]
    assert "Péri Assoc" in mailoutbox[0].body
    run_daily_job()
    assert len(mailoutbox) == 2


def test_a_campaign_set_up_ahead_is_announced_on_its_opening_day(
    mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    activite = ActiviteFactory()
    HabilitationFactory(activite=activite, user__email="da@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.open_campaign(campaign_of(activite, TODAY + 5 * DAY), UserFactory(caf_agent=True))
    run_daily_job()
    assert mailoutbox == []
    time_machine.move_to(NOW + 5 * DAY)
    run_daily_job()
    run_daily_job()
    assert recipients(mailoutbox) == ["da@example.fr"]
    assert mailoutbox[0].subject == "Campagne de déclaration ouverte : Prévisionnel 2027"


def test_someone_habilitated_during_the_campaign_is_told_it_is_open(
    mailoutbox, django_capture_on_commit_callbacks
):
    activite = ActiviteFactory()
    HabilitationFactory(activite=activite, user__email="da@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.open_campaign(campaign_of(activite, TODAY - 10 * DAY), UserFactory(caf_agent=True))
    HabilitationFactory(activite=activite, financial=True, user__email="late@example.fr")
    run_daily_job()
    assert recipients(mailoutbox) == ["da@example.fr", "late@example.fr"]


def test_approbateurs_mailed_when_the_caf_opened_the_campaign_before_the_daily_job_are_not_mailed_again(
    mailoutbox,
):
    """Before the daily job, « Ouvrir une campagne » mailed the approbateurs at once without a trace
    (migration 0018 records those mails); the providers, never told, get the opening mail once."""
    activite = ActiviteFactory()
    HabilitationFactory(activite=activite, validated=True, user__email="appro@example.fr")
    HabilitationFactory(activite=activite, user__email="da@example.fr")
    agent = UserFactory(caf_agent=True)
    campaign = campaign_of(activite, TODAY - 10 * DAY)
    campaign.opened_at = NOW - 10 * DAY
    services.open_campaign(campaign, agent, notify=False)  # the old code's mail is not in this outbox
    elsewhere = ActiviteFactory()
    demo = campaign_of(elsewhere, TODAY - 10 * DAY)
    demo.opened_at = NOW - 10 * DAY
    services.open_campaign(demo, None, notify=False)  # load_demo's: nobody was mailed
    HabilitationFactory(activite=elsewhere, validated=True, user__email="demo@example.fr")
    migration = importlib.import_module("afas.migrations.0018_campaign_openings_already_mailed")
    migration.record_openings_mailed_before(apps, before=NOW - DAY)
    migration.record_openings_mailed_before(apps, before=NOW - DAY)  # run again: nothing twice
    run_daily_job()
    run_daily_job()
    assert recipients(mailoutbox) == ["da@example.fr", "demo@example.fr"]
    assert SentReminder.objects.filter(campaign=campaign, kind=MailKind.CAMPAIGN_OPENED).count() == 2


def test_a_campaign_opened_since_the_daily_job_exists_is_left_to_it(mailoutbox):
    activite = ActiviteFactory()
    HabilitationFactory(activite=activite, validated=True, user__email="appro@example.fr")
    services.open_campaign(campaign_of(activite, TODAY + DAY), UserFactory(caf_agent=True), notify=False)
    migration = importlib.import_module("afas.migrations.0018_campaign_openings_already_mailed")
    migration.record_openings_mailed_before(apps, before=NOW - DAY)
    assert not SentReminder.objects.exists()


def transmitted(**kwargs):
    return DeclarationFactory(state=State.TRANSMISE, **kwargs)


def test_returned_by_the_caf_providers_and_approbateurs_are_told(
    mailoutbox, django_capture_on_commit_callbacks
):
    declaration = transmitted()
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    HabilitationFactory(activite=declaration.activite, validated=True, user__email="appro@example.fr")
    off = HabilitationFactory(activite=declaration.activite, financial=True, user__email="off@example.fr")
    MailPreferenceFactory(user=off.user, kind=MailKind.RETURNED)
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(declaration, agent, "Compte 64 incohérent", services.CAF)
    assert recipients(mailoutbox) == ["appro@example.fr", "da@example.fr"]


def test_returned_by_the_approbateur_only_providers_are_told(mailoutbox, django_capture_on_commit_callbacks):
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    approbateur = HabilitationFactory(
        activite=declaration.activite, validated=True, user__email="ap@example.fr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(declaration, approbateur.user, "Heures à revoir", services.APPROBATEUR)
    assert recipients(mailoutbox) == ["da@example.fr"]


def test_validated_by_the_caf_providers_and_approbateurs_are_told(
    mailoutbox, django_capture_on_commit_callbacks
):
    declaration = transmitted(activite=ActiviteFactory(nom="Péri Assoc"))
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    HabilitationFactory(activite=declaration.activite, validated=True, user__email="appro@example.fr")
    off = HabilitationFactory(activite=declaration.activite, financial=True, user__email="off@example.fr")
    MailPreferenceFactory(user=off.user, kind=MailKind.VALIDATED)
    HabilitationFactory(activite=declaration.activite, user__closed=True, user__email="closed@example.fr")
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    with django_capture_on_commit_callbacks(execute=True):
        services.validate(declaration, agent)
    assert recipients(mailoutbox) == ["appro@example.fr", "da@example.fr"]
    assert mailoutbox[0].subject == "Déclaration validée par la Caf : Réel 2025 — Péri Assoc"
    assert f"/afas/declarations/{declaration.pk}/" in mailoutbox[0].body


def test_turning_off_the_validation_mail_keeps_the_return_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    declaration = transmitted()
    habilitation = HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    MailPreferenceFactory(user=habilitation.user, kind=MailKind.VALIDATED)
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(declaration, agent, "Compte 64 incohérent", services.CAF)
    assert recipients(mailoutbox) == ["da@example.fr"]


def test_an_approbateur_who_turned_it_off_is_not_told_a_declaration_is_to_approve(
    mailoutbox, django_capture_on_commit_callbacks
):
    declaration = DeclarationFactory(state=State.EN_COURS, activite=ActiviteFactory(nom="Péri Assoc"))
    HabilitationFactory(activite=declaration.activite, validated=True, user__email="appro@example.fr")
    off = HabilitationFactory(activite=declaration.activite, validated=True, user__email="off@example.fr")
    MailPreferenceFactory(user=off.user, kind=MailKind.TO_APPROVE)
    with django_capture_on_commit_callbacks(execute=True):
        notify_to_approve(declaration, None)
    assert recipients(mailoutbox) == ["appro@example.fr"]
    assert "« Mes notifications »" in mailoutbox[0].body
