"""Issue 13 §1: passkeys — added from « Sécuriser mon compte », given at the second step, renamed,
removed (recorded, never the last factor of who must have one), withdrawn by the Caf's reset. The
ceremonies are real: a software authenticator (tests/accounts/passkeys.py) answers the page's options."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from accounts.second_factor.models import Passkey, SecondFactor
from accounts.second_factor.services import has_second_factor, reset_second_factor
from afas.models import AuditAction, AuditEvent
from tests.accounts.factories import PasskeyFactory, UserFactory
from tests.accounts.passkeys import SoftAuthenticator
from tests.accounts.second_factor import force_login_verified, give_totp
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

SECURITY = reverse("accounts:security")
ADD = reverse("accounts:security_passkey_add")
STEP = reverse("accounts:second_factor")
WELCOME = reverse("accounts:welcome")
LOGOUT = reverse("accounts:logout")


def rename_url(passkey):
    return reverse("accounts:security_passkey_rename", args=[passkey.pk])


def remove_url(passkey):
    return reverse("accounts:security_passkey_remove", args=[passkey.pk])


def add_passkey(client, authenticator, name="Ordinateur du bureau"):
    options = client.get(SECURITY).context["passkey_options"]
    return client.post(ADD, {"name": name, "credential": authenticator.create(options)}, follow=True)


@pytest.fixture
def admin():
    return UserFactory(partner_admin=True, identifiant="100000001")


def test_a_passkey_is_added_and_the_first_factor_gets_its_recovery_codes(client):
    declarant = UserFactory(declarant=True)
    client.force_login(declarant)
    response = add_passkey(client, SoftAuthenticator())
    assert "Votre clé d'accès « Ordinateur du bureau » est ajoutée" in unescape(response.content.decode())
    assert len(response.context["new_codes"]) == 10
    passkey = Passkey.objects.get(user=declarant)
    assert passkey.confirmed and passkey.transports == ["internal"] and has_second_factor(declarant)
    assert [p.name for p in response.context["passkeys"]] == ["Ordinateur du bureau"]


def test_the_options_name_the_portal_and_exclude_the_keys_already_there(client, settings):
    declarant = UserFactory(declarant=True)
    force_login_verified(client, declarant)
    add_passkey(client, SoftAuthenticator())
    options = client.get(SECURITY).context["passkey_options"]
    assert options["rp"] == {"id": "localhost", "name": "Mon Compte Partenaire"}
    assert options["user"]["name"] == declarant.identifiant
    assert [c["id"] for c in options["excludeCredentials"]] == [Passkey.objects.get().credential_id]


def test_an_answer_for_another_site_or_another_challenge_is_refused(client):
    client.force_login(UserFactory(declarant=True))
    authenticator = SoftAuthenticator()
    options = client.get(SECURITY).context["passkey_options"]
    page = client.post(ADD, {"credential": authenticator.create(options, origin="https://phishing.example")})
    assert "La clé d'accès n'a pas pu être enregistrée" in unescape(page.content.decode())
    # The challenge served once: the right answer to it no longer counts.
    page = client.post(ADD, {"credential": authenticator.create(options)})
    assert "La clé d'accès n'a pas pu être enregistrée" in unescape(page.content.decode())
    assert not Passkey.objects.exists()


def test_the_page_says_what_a_passkey_needs_without_javascript(client):
    client.force_login(UserFactory(declarant=True))
    page = unescape(client.get(SECURITY).content.decode())
    assert "Une clé d'accès demande un navigateur qui la prend en charge" in page
    # The form and its button are shown by static/js/passkeys.js only; the app's enrolment works without.
    assert "data-passkey-form hidden" in page and "data-totp-secret" in page


def test_a_passkey_signs_the_second_step(client, sign_in_post, admin):
    authenticator = SoftAuthenticator()
    force_login_verified(client, admin)
    add_passkey(client, authenticator)
    client.post(LOGOUT)
    sign_in_post("100000001")
    assert client.get(WELCOME).url.startswith(STEP)
    step = client.get(STEP)
    assert "Utiliser ma clé d'accès" in unescape(step.content.decode())
    response = client.post(STEP, {"credential": authenticator.get(step.context["passkey_options"])})
    assert response.url == WELCOME
    passkey = Passkey.objects.get()
    assert passkey.sign_count == 2 and passkey.last_used_at is not None


def test_a_replayed_or_foreign_answer_is_refused_and_counted(client, sign_in_post, admin):
    authenticator = SoftAuthenticator()
    force_login_verified(client, admin)
    add_passkey(client, authenticator)
    client.post(LOGOUT)
    sign_in_post("100000001")
    options = client.get(STEP).context["passkey_options"]
    answer = authenticator.get(options)
    assert client.post(STEP, {"credential": answer}).url == WELCOME
    client.post(LOGOUT)
    sign_in_post("100000001")
    client.get(STEP)
    response = client.post(STEP, {"credential": answer})  # the challenge of another page
    assert response.status_code == 200
    assert "Votre clé d'accès n'a pas été reconnue" in unescape(response.content.decode())
    options = client.get(STEP).context["passkey_options"]
    stranger = SoftAuthenticator()  # a key this user never registered
    assert client.post(STEP, {"credential": stranger.get(options)}).status_code == 200
    assert SecondFactor.objects.get(user=admin).failures == 2


def test_a_passkey_is_the_second_factor_an_administrator_must_have(client, sign_in_post, settings, admin):
    settings.SECOND_FACTOR_GRACE_DAYS = 0
    PasskeyFactory(user=admin)
    sign_in_post("100000001")
    assert client.get(WELCOME).url.startswith(STEP)  # the step awaits the passkey: no enrolment demanded


def test_a_passkey_is_renamed(client):
    declarant = UserFactory(declarant=True)
    passkey = PasskeyFactory(user=declarant)
    force_login_verified(client, declarant)
    response = client.post(rename_url(passkey), {f"passkey-{passkey.pk}-name": "Téléphone"}, follow=True)
    assert "La clé d'accès est renommée « Téléphone »" in unescape(response.content.decode())
    passkey.refresh_from_db()
    assert passkey.name == "Téléphone"


def test_another_users_passkey_is_not_found(client):
    passkey = PasskeyFactory(user=UserFactory(declarant=True))
    force_login_verified(client, UserFactory(declarant=True))
    assert client.post(rename_url(passkey), {f"passkey-{passkey.pk}-name": "x"}).status_code == 404
    assert client.post(remove_url(passkey)).status_code == 404
    passkey.refresh_from_db()
    assert passkey.confirmed and passkey.name == "Ordinateur du bureau"


def test_the_last_factor_of_an_administrator_is_not_removed(client, admin):
    passkey = PasskeyFactory(user=admin)
    force_login_verified(client, admin)
    response = client.post(remove_url(passkey), follow=True)
    assert "Cette clé d'accès est votre dernier second facteur" in unescape(response.content.decode())
    passkey.refresh_from_db()
    assert passkey.confirmed


def test_a_passkey_removed_stays_on_record_and_is_in_the_audit_trail(client, admin):
    passkey = PasskeyFactory(user=admin, name="Clé USB")
    give_totp(admin)
    force_login_verified(client, admin)
    response = client.post(remove_url(passkey), REMOTE_ADDR="192.0.2.7", follow=True)
    assert "La clé d'accès « Clé USB » est supprimée" in unescape(response.content.decode())
    passkey.refresh_from_db()
    assert not passkey.confirmed and passkey.removed_at is not None
    event = AuditEvent.objects.get(action=AuditAction.PASSKEY_REMOVED)
    assert (event.actor, event.subject, event.details) == (admin, admin, {"passkey": "Clé USB"})
    assert event.ip_address == "192.0.2.7"


def test_removing_asks_for_the_password_again_after_a_few_minutes(client, time_machine):
    declarant = UserFactory(declarant=True)
    passkey = PasskeyFactory(user=declarant)
    force_login_verified(client, declarant)
    time_machine.shift(datetime.timedelta(minutes=6))
    response = client.post(remove_url(passkey))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    passkey.refresh_from_db()
    assert passkey.confirmed


def test_the_cafs_reset_withdraws_the_passkeys_too(admin):
    passkey = PasskeyFactory(user=admin)
    reset_second_factor(admin, by=UserFactory(caf_agent=True))
    passkey.refresh_from_db()
    assert not passkey.confirmed and passkey.removed_at is not None and not has_second_factor(admin)
