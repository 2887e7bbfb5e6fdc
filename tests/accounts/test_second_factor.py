"""Issue 13 §1: the second factor after the password — TOTP codes, recovery codes, the step's lockout."""

import datetime

import pytest
from django.urls import reverse

from accounts.second_factor.models import SecondFactor
from afas.models import AuditAction, AuditEvent
from tests.accounts.factories import UserFactory
from tests.accounts.second_factor import code, give_totp
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

LOGIN = reverse("accounts:login")
WELCOME = reverse("accounts:welcome")
STEP = reverse("accounts:second_factor")
CONVENTIONS = reverse("conventions:list")


@pytest.fixture
def admin():
    return UserFactory(partner_admin=True, identifiant="100000001", prenom="Claire", nom="BERNARD")


def test_a_user_with_a_device_gives_a_code_after_the_password(client, sign_in_post, admin):
    device = give_totp(admin)
    response = sign_in_post("100000001")
    assert response.status_code == 302
    # Signed in by the password only: every page leads to the code's, the page asked for kept.
    response = client.get(CONVENTIONS)
    assert response.status_code == 302 and response.url == f"{STEP}?next={CONVENTIONS.replace('/', '%2F')}"
    page = client.get(response.url).content.decode()
    assert "Saisissez le code à 6 chiffres" in page
    response = client.post(STEP, {"code": code(device), "next": CONVENTIONS})
    assert response.status_code == 302 and response.url == CONVENTIONS
    assert client.get(CONVENTIONS).status_code == 200


def test_nothing_but_the_code_is_reached_before_it(client, sign_in_post, admin):
    give_totp(admin)
    sign_in_post("100000001")
    for url in (WELCOME, CONVENTIONS, reverse("accounts:security"), reverse("accounts:email_change")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(STEP), url


def test_a_code_already_used_is_refused(client, sign_in_post, admin):
    device = give_totp(admin)
    used = code(device)
    sign_in_post("100000001")
    assert client.post(STEP, {"code": used}).url == WELCOME
    client.post(reverse("accounts:logout"))
    sign_in_post("100000001")
    response = client.post(STEP, {"code": used})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get(WELCOME).status_code == 302


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_early_or_late_is_accepted(client, sign_in_post, admin, steps):
    device = give_totp(admin)
    sign_in_post("100000001")
    assert client.post(STEP, {"code": code(device, steps)}).url == WELCOME


@pytest.mark.parametrize("steps", [-3, 3])
def test_a_code_further_off_is_refused(client, sign_in_post, admin, steps):
    device = give_totp(admin)
    sign_in_post("100000001")
    assert client.post(STEP, {"code": code(device, steps)}).status_code == 200


def test_a_recovery_code_signs_in_once(client, sign_in_post, admin):
    _, codes = give_totp(admin, recovery=True)
    sign_in_post("100000001")
    response = client.post(STEP, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == WELCOME
    assert "il vous en reste 9" in response.content.decode()
    client.post(reverse("accounts:logout"))
    sign_in_post("100000001")
    assert client.post(STEP, {"code": codes[0]}).status_code == 200  # spent
    assert client.post(STEP, {"code": codes[1]}).url == WELCOME


def test_five_wrong_codes_lock_the_second_step_and_are_recorded(client, sign_in_post, admin, time_machine):
    device = give_totp(admin)
    sign_in_post("100000001")
    for _ in range(4):
        assert client.post(STEP, {"code": "000000"}).status_code == 200
    response = client.post(STEP, {"code": "000000"}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    [message] = [str(m) for m in response.context["messages"]]
    assert "le second facteur est bloqué jusqu'au 02/12/2026 à 10h15" in message
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_LOCKED, subject=admin).count() == 1
    # The right password again: the step stays locked, even for the right code.
    sign_in_post("100000001")
    response = client.post(STEP, {"code": code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    time_machine.shift(datetime.timedelta(minutes=16))
    sign_in_post("100000001")
    assert client.post(STEP, {"code": code(device)}).url == WELCOME


def test_a_right_code_clears_the_count_of_wrong_ones(client, sign_in_post, admin):
    device = give_totp(admin)
    sign_in_post("100000001")
    for _ in range(4):
        client.post(STEP, {"code": "000000"})
    assert client.post(STEP, {"code": code(device)}).url == WELCOME
    assert SecondFactor.objects.get(user=admin).failures == 0


def test_a_user_without_device_signs_in_with_the_password_alone(client, sign_in_post):
    UserFactory(declarant=True, identifiant="100000002")
    assert sign_in_post("100000002").url == WELCOME
    page = client.get(WELCOME).content.decode()
    assert "Bienvenue" in page and "Second facteur demandé à la connexion" not in page
