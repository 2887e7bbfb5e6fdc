"""Issue 13 §1: « Sécuriser mon compte » (enrolment, recovery codes, removal), the required enrolment after
the grace period, and the Caf agent's reset from the back-office."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor.services import has_second_factor
from accounts.second_factor.views import ENROL_KEY
from afas.models import AuditAction, AuditEvent
from tests.accounts.factories import UserFactory
from tests.accounts.second_factor import code, code_of, force_login_verified, give_totp
from tests.clock import on_today
from tests.conventions.factories import CafFactory, OrganismeFactory

pytestmark = [pytest.mark.django_db, on_today]

SECURITY = reverse("accounts:security")
ENROL = reverse("accounts:security_enrol")
CODES = reverse("accounts:security_recovery_codes")
REMOVE = reverse("accounts:security_remove")
WELCOME = reverse("accounts:welcome")
STEP = reverse("accounts:second_factor")
CONVENTIONS = reverse("conventions:list")


def test_enrolment_shows_a_qr_code_and_the_key_then_the_recovery_codes_once(client):
    declarant = UserFactory(declarant=True)
    client.force_login(declarant)
    page = client.get(SECURITY).content.decode()
    assert '<img src="data:image/svg+xml;base64,' in page and "data-totp-secret" in page
    key = client.session[ENROL_KEY]
    first = code_of(key)
    response = client.post(ENROL, {"code": first}, follow=True)
    page = response.content.decode()
    assert "Votre second facteur est activé" in page
    assert len(response.context["new_codes"]) == 10
    assert TOTPDevice.objects.get(user=declarant, confirmed=True).key == key
    # Shown once: the page no longer holds them.
    assert client.get(SECURITY).context["new_codes"] is None
    # The code typed to enrol cannot sign in again.
    client.post(reverse("accounts:logout"))
    client.post(
        reverse("accounts:login"), {"username": declarant.identifiant, "password": "Portail-Demo-2026!"}
    )
    assert client.post(STEP, {"code": first}).status_code == 200


def test_a_wrong_first_code_keeps_the_same_key_and_says_why(client):
    client.force_login(UserFactory(declarant=True))
    client.get(SECURITY)
    key = client.session[ENROL_KEY]
    response = client.post(ENROL, {"code": "123"})
    assert response.status_code == 200
    assert "Ce code ne correspond pas" in response.content.decode()
    assert client.session[ENROL_KEY] == key and not TOTPDevice.objects.exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    declarant = UserFactory(declarant=True)
    _, old = give_totp(declarant, recovery=True)
    force_login_verified(client, declarant)
    new = client.post(CODES, follow=True).context["new_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert declarant.recovery_codes.usable().count() == 10
    assert declarant.recovery_codes.count() == 20  # the old ones stay on record, withdrawn


def test_a_declarant_may_remove_their_factor(client):
    declarant = UserFactory(declarant=True)
    give_totp(declarant)
    force_login_verified(client, declarant)
    client.post(REMOVE)
    assert not has_second_factor(declarant)
    assert TOTPDevice.objects.filter(user=declarant).count() == 1  # kept on record, unconfirmed


def test_an_administrator_may_not_remove_theirs(client):
    admin = UserFactory(partner_admin=True)
    give_totp(admin)
    force_login_verified(client, admin)
    response = client.post(REMOVE, follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert has_second_factor(admin)


def test_removing_asks_for_the_password_again_after_a_few_minutes(client, time_machine):
    declarant = UserFactory(declarant=True)
    give_totp(declarant)
    force_login_verified(client, declarant)
    time_machine.shift(datetime.timedelta(minutes=6))
    response = client.post(REMOVE, HTTP_REFERER=f"http://testserver{SECURITY}")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    assert has_second_factor(declarant)


@pytest.mark.parametrize("url", [CODES, REMOVE])
def test_the_factor_actions_need_a_factor_and_a_post(client, url):
    declarant = UserFactory(declarant=True)
    client.force_login(declarant)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == SECURITY
    assert not declarant.staticdevice_set.exists()


# ----- required of administrators and agents, after a grace period


@pytest.mark.parametrize("traits", [{"partner_admin": True}, {"habiliter": True}, {"caf_agent": True}])
def test_administrators_and_agents_are_invited_during_the_grace_period(client, settings, traits):
    settings.SECOND_FACTOR_GRACE_DAYS = 14
    client.force_login(UserFactory(**traits))
    page = client.get(WELCOME).content.decode()
    assert "Second facteur demandé à la connexion à partir du 16/12/2026" in page


def test_a_declarant_gets_no_banner(client):
    client.force_login(UserFactory(declarant=True))
    assert "Second facteur demandé à la connexion" not in client.get(WELCOME).content.decode()


def test_enrolment_is_required_at_the_first_sign_in_after_the_grace_period(client, settings, time_machine):
    settings.SECOND_FACTOR_GRACE_DAYS = 14
    admin = UserFactory(partner_admin=True)
    client.force_login(admin)  # the grace period starts at this first sign-in
    client.post(reverse("accounts:logout"))
    time_machine.shift(datetime.timedelta(days=14))
    client.force_login(admin)
    assert client.get(CONVENTIONS).status_code == 200  # its last day
    time_machine.shift(datetime.timedelta(days=1))
    client.force_login(admin)
    response = client.get(CONVENTIONS, follow=True)
    assert response.redirect_chain[-1][0] == SECURITY
    assert "un second facteur est désormais obligatoire" in response.content.decode()
    client.post(ENROL, {"code": code_of(client.session[ENROL_KEY])})
    assert client.get(CONVENTIONS).status_code == 200


# ----- the Caf agent's reset


@pytest.fixture
def loire():
    return CafFactory(nom="Caf de la Loire")


def reset(client, agent, user):
    client.force_login(agent)
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [user.pk]},
        follow=True,
    )


def test_an_agent_resets_the_factor_of_a_partner_administrator_of_their_caf(client, loire):
    admin = UserFactory(partner_admin=True, organisme=OrganismeFactory(caf=loire), email="claire@clos.fr")
    give_totp(admin)
    agent = UserFactory(caf_agent=True, caf=loire)
    mail.outbox.clear()
    page = reset(client, agent, admin).content.decode()
    assert "Second facteur réinitialisé pour 1 compte(s)" in page
    assert not has_second_factor(admin)
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (event.subject, event.actor) == (admin, agent)
    assert [m.to for m in mail.outbox] == [["claire@clos.fr"]]
    assert "second facteur a été réinitialisé" in mail.outbox[0].subject
    # No new grace period: enrolment is required at the next sign-in.
    other = client.__class__()
    other.force_login(admin)
    assert other.get(CONVENTIONS).url == SECURITY


def test_an_agent_cannot_reset_the_factor_of_another_cafs_user(client, loire):
    admin = UserFactory(partner_admin=True, organisme=OrganismeFactory(caf=CafFactory(nom="Caf du Rhône")))
    device = give_totp(admin)
    reset(client, UserFactory(caf_agent=True, caf=loire), admin)
    assert has_second_factor(admin) and TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_RESET).exists()
    assert mail.outbox == []


def test_the_reset_factor_no_longer_signs_in(client, loire):
    admin = UserFactory(partner_admin=True, organisme=OrganismeFactory(caf=loire))
    device = give_totp(admin)
    reset(client, UserFactory(caf_agent=True, caf=loire), admin)
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": admin.identifiant, "password": "Portail-Demo-2026!"})
    # Straight to enrolment: the old phone's code is not asked for, nor accepted.
    assert client.get(WELCOME).url == SECURITY
    client.post(STEP, {"code": code(device)})
    assert client.get(WELCOME).url == SECURITY
