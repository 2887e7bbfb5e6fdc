"""Decision 15: an address changed through « Modifier » applies only once confirmed from the new address,
as « Modifier mon adresse mail » does; the old address is told."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains

from accounts.services import mail_limited_message
from tests.accounts.factories import UserFactory
from tests.conventions.conftest import BACKEND
from tests.conventions.test_views_users import VALID

pytestmark = pytest.mark.django_db

NEW = "jean.nouveau@csdp.fr"


def modify(client, convention, user, email):
    url = reverse("conventions:user_update", args=[convention.pk, user.pk])
    data = {**VALID, "organisme": convention.organisme_id, "email": email, "email_confirmation": email}
    return client.post(url, data, follow=True)


def confirm_link(message):
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_modifier_sends_a_confirmation_link_and_keeps_the_old_address(
    admin_client, convention, member, admin
):
    old = member.email
    response = modify(admin_client, convention, member, NEW)
    member.refresh_from_db()
    assert member.email == old and member.nom == "DURAND"  # the other fields are saved at once
    assert escape("ne sera enregistrée qu'une fois confirmée") in response.content.decode()
    assert [m.to for m in mail.outbox] == [[NEW]]
    assert f"{admin.get_full_name()} a demandé que {NEW}" in mail.outbox[0].body


def test_following_the_link_applies_the_address_and_tells_the_old_one(
    client, admin_client, convention, member
):
    old = member.email
    modify(admin_client, convention, member, NEW)
    link = confirm_link(mail.outbox[0])
    client.logout()
    client.post(link)
    member.refresh_from_db()
    assert member.email == NEW
    assert mail.outbox[-1].to == [old] and NEW in mail.outbox[-1].body


def test_an_administrator_modifying_their_own_address_confirms_it_too(admin_client, convention, admin):
    old = admin.email
    modify(admin_client, convention, admin, "claire.nouvelle@csdp.fr")
    admin.refresh_from_db()
    assert admin.email == old
    assert "Vous avez demandé que claire.nouvelle@csdp.fr" in mail.outbox[0].body


def test_the_form_says_a_new_address_waits_for_its_confirmation(admin_client, convention, member):
    page = admin_client.get(reverse("conventions:user_update", args=[convention.pk, member.pk]))
    assert "qu'une fois confirmée par le lien envoyé à cette adresse" in page.content.decode()


def test_an_unchanged_address_sends_nothing(admin_client, convention, member):
    modify(admin_client, convention, member, member.email.upper())
    assert mail.outbox == []


def test_a_never_activated_account_gets_its_activation_link_at_the_confirmed_address(
    client, convention, admin
):
    """The usual reason: the administrator mistyped the address, so the activation mail was lost."""
    newcomer = UserFactory(organisme=convention.organisme, email="lea@mal-tapee.fr")
    newcomer.set_unusable_password()
    newcomer.save()
    client.force_login(admin, backend=BACKEND)
    modify(client, convention, newcomer, "lea.durand@csdp.fr")
    client.post(confirm_link(mail.outbox[0]))
    assert [m.to for m in mail.outbox[1:]] == [["lea@mal-tapee.fr"], ["lea.durand@csdp.fr"]]
    assert newcomer.identifiant in mail.outbox[-1].body


def test_the_form_and_the_users_own_page_show_the_address_awaiting_confirmation(
    admin_client, convention, member
):
    modify(admin_client, convention, member, NEW)
    page = admin_client.get(reverse("conventions:user_update", args=[convention.pk, member.pk]))
    assert f"En attente de confirmation : {NEW}." in page.content.decode()
    admin_client.force_login(member, backend=BACKEND)
    page = admin_client.get(reverse("accounts:email_change"))
    assertContains(
        page,
        f'<p class="alert alert-info">Nouvelle adresse en attente de confirmation : <strong>{NEW}</strong>. '
        "Suivez le lien reçu à cette adresse pour l'enregistrer.</p>",
        html=True,
    )
    admin_client.post(confirm_link(mail.outbox[0]))
    member.refresh_from_db()
    assert member.email == NEW and member.email_awaiting_confirmation() == ""


def test_an_expired_link_is_no_longer_shown_as_pending(convention, member, settings):
    member.pending_email = NEW
    member.pending_email_sent_at = timezone.now() - datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT
    )
    assert member.email_awaiting_confirmation() == ""
    member.pending_email_sent_at = timezone.now()
    assert member.email_awaiting_confirmation() == NEW


def test_modifier_asks_for_three_new_addresses_an_hour_at_most_and_saves_nothing_beyond(
    admin_client, convention, member
):
    url = reverse("conventions:user_update", args=[convention.pk, member.pk])
    answers = []
    for n in range(4):
        email = f"jean{n}@csdp.fr"
        data = {**VALID, "organisme": convention.organisme_id, "nom": f"DURAND{'X' * n}", "email": email,
                "email_confirmation": email}  # fmt: skip
        answers.append(admin_client.post(url, data))
    assert [response.status_code for response in answers] == [302, 302, 302, 429]
    page = answers[-1].content.decode()
    assert escape(mail_limited_message()) in page and 'value="jean3@csdp.fr"' in page
    member.refresh_from_db()
    assert member.nom == "DURANDXX" and member.pending_email == "jean2@csdp.fr"
    assert len(mail.outbox) == 3
