"""Back-office of the declaration mails and receipts: « ce partenaire a-t-il reçu le rappel ? » answered by
the agent of the partner's Caf only, read-only, in a constant number of queries."""

import html

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.models import MailKind, SentReminder
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    ActiviteFactory,
    CampaignFactory,
    DeclarationFactory,
    MailPreferenceFactory,
    ReceiptFactory,
    SentReminderFactory,
)
from tests.clock import on_today
from tests.conventions.factories import CafFactory, OrganismeFactory

pytestmark = [pytest.mark.django_db, on_today]


def url(model, view, *args):
    return reverse(f"admin:afas_{model}_{view}", args=args)


@pytest.fixture
def foreign_organisme(db):
    return OrganismeFactory(
        raison_sociale="COMMUNE DE MARTIGUES", caf=CafFactory(nom="Caf des BdR", code="131")
    )


@pytest.fixture
def reminded(declarant, activite):
    declaration = DeclarationFactory(activite=activite)
    return SentReminderFactory(user=declarant, declaration=declaration, kind=MailKind.REMINDER_3)


@pytest.fixture
def foreign_reminder(foreign_organisme):
    stranger = UserFactory(organisme=foreign_organisme, declarant=True, nom="ÉTRANGER")
    declaration = DeclarationFactory(
        activite=ActiviteFactory(organisme=foreign_organisme, nom="ESC Martigues")
    )
    return SentReminderFactory(user=stranger, declaration=declaration)


def test_the_agent_finds_the_reminders_a_partner_user_got(
    client, agent, declarant, reminded, foreign_reminder
):
    campaign = CampaignFactory(caf=agent.caf)
    SentReminder.objects.create(user=declarant, kind=MailKind.CAMPAIGN_OPENED, campaign=campaign)
    client.force_login(agent)
    response = client.get(url("sentreminder", "changelist"), {"q": declarant.email})
    assert response.context["cl"].result_count == 2
    page = html.unescape(response.content.decode())
    assert "Rappel 3 jours avant la date limite" in page and "Ouverture d'une campagne" in page
    assert "Centre Social le Clos des Potiers" in page and "Péri Assoc" in page
    assert "ÉTRANGER" not in client.get(url("sentreminder", "changelist")).content.decode()


def test_a_campaign_opening_of_another_caf_is_not_listed(client, agent, foreign_organisme):
    stranger = UserFactory(organisme=foreign_organisme, declarant=True, nom="ÉTRANGER")
    SentReminder.objects.create(
        user=stranger, kind=MailKind.CAMPAIGN_OPENED, campaign=CampaignFactory(caf=foreign_organisme.caf)
    )
    client.force_login(agent)
    assert client.get(url("sentreminder", "changelist")).context["cl"].result_count == 0


def test_another_cafs_rows_are_a_404(client, agent, foreign_organisme, foreign_reminder):
    preference = MailPreferenceFactory(user=foreign_reminder.user)
    receipt = ReceiptFactory(declaration__activite=ActiviteFactory(organisme=foreign_organisme))
    client.force_login(agent)
    for model, pk in [
        ("sentreminder", foreign_reminder.pk),
        ("mailpreference", preference.pk),
        ("receipt", receipt.pk),
    ]:
        assert client.get(url(model, "change", pk)).status_code == 404
        assert client.get(url(model, "history", pk)).status_code == 404
    assert client.get(url("mailpreference", "changelist")).context["cl"].result_count == 0
    assert client.get(url("receipt", "changelist")).context["cl"].result_count == 0


def test_they_are_a_trace_nobody_adds_changes_nor_deletes(client, agent, declarant, reminded):
    preference = MailPreferenceFactory(user=declarant, kind=MailKind.VALIDATED)
    client.force_login(agent)
    for model in ("sentreminder", "mailpreference", "receipt"):
        assert client.get(url(model, "add")).status_code == 403
    response = client.get(url("mailpreference", "change", preference.pk))
    assert response.status_code == 200
    assertNotContains(response, 'name="_save"')
    assertContains(response, "<h1>Consultation : préférence de notification</h1>", html=True)
    client.post(url("mailpreference", "change", preference.pk), {"enabled": "on"})
    preference.refresh_from_db()
    assert not preference.enabled
    assert client.post(url("sentreminder", "delete", reminded.pk), {"post": "yes"}).status_code == 403
    assert SentReminder.objects.filter(pk=reminded.pk).exists()


def test_the_agent_sees_who_turned_a_mail_off(client, agent, declarant):
    MailPreferenceFactory(user=declarant, kind=MailKind.REMINDER_15)
    client.force_login(agent)
    response = client.get(url("mailpreference", "changelist"), {"kind__exact": MailKind.REMINDER_15})
    assert response.context["cl"].result_count == 1
    assertContains(response, "Rappel 15 jours avant la date limite")


def test_a_receipt_is_found_by_its_number_and_gives_its_pdf(client, agent, activite):
    receipt = ReceiptFactory(declaration__activite=activite)
    client.force_login(agent)
    response = client.get(url("receipt", "changelist"), {"q": receipt.reference})
    assert response.context["cl"].result_count == 1
    page = client.get(url("receipt", "change", receipt.pk))
    assertContains(page, reverse("admin:afas_declaration_receipt", args=[receipt.pk]))
    assertContains(page, f"Télécharger l'accusé de réception {receipt.reference}")


@pytest.mark.parametrize("count", [1, 50])
def test_the_reminders_list_counts_the_same_queries_whatever_its_rows(
    client, agent, declarant, activite, foreign_reminder, count, django_assert_num_queries
):
    for index in range(count):
        SentReminderFactory(
            user=declarant, declaration=DeclarationFactory(activite=activite, exercice=2000 + index)
        )
    SentReminder.objects.create(
        user=declarant, kind=MailKind.CAMPAIGN_OPENED, campaign=CampaignFactory(caf=agent.caf)
    )
    client.force_login(agent)
    # session + user, 2 savepoints of ATOMIC_REQUESTS (x2), ONE count (the Caf's: show_full_result_count is
    # off), the page of rows with their user, partner, declaration and campaign joined, the session's update.
    with django_assert_num_queries(9):
        response = client.get(url("sentreminder", "changelist"))
    assert response.context["cl"].result_count == count + 1


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("model", ["mailpreference", "receipt"])
def test_the_preferences_and_receipts_lists_count_the_same_queries_whatever_their_rows(
    client, agent, organisme, model, count, django_assert_num_queries
):
    for index in range(count):
        MailPreferenceFactory(user=UserFactory(organisme=organisme, declarant=True), kind=MailKind.VALIDATED)
        ReceiptFactory(declaration__activite=ActiviteFactory(organisme=organisme, nom=f"Activité {index}"))
    MailPreferenceFactory(user=UserFactory(organisme=OrganismeFactory()))  # another Caf's
    ReceiptFactory()  # another Caf's
    client.force_login(agent)
    # As the reminders: session + user, savepoints, one count, one page with users or declarations, their
    # activité and partner joined, the session's update.
    with django_assert_num_queries(9):
        response = client.get(url(model, "changelist"))
    assert response.context["cl"].result_count == count
