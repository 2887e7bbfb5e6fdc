"""The two sign-in pathways (the portal's and the back-office's) and the forgotten-password path ask for the
same second factor (ASVS 5.0 6.1.3, 6.3.4, 6.4.3); the secrets of the second factor come from a CSPRNG and
are long enough (6.5.3, 6.5.4)."""

import datetime
import re
from base64 import b32decode

import pytest
from django.core import mail
from django.urls import reverse

from accounts.second_factor import services
from accounts.second_factor.models import SecondFactor
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.second_factor import code, give_totp
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

STEP = reverse("accounts:second_factor")
BACK_OFFICE = reverse("admin:index")
BACK_OFFICE_LOGIN = reverse("admin:login")
NEW = "Une phrase de passe toute neuve"


@pytest.fixture
def agent():
    return UserFactory(caf_agent=True, identifiant="agent.loire", caf__nom="Caf de la Loire")


def test_the_back_office_sign_in_asks_for_the_code_too(client, agent):
    device = give_totp(agent)
    response = client.post(
        f"{BACK_OFFICE_LOGIN}?next={BACK_OFFICE}",
        {"username": "agent.loire", "password": DEFAULT_PASSWORD, "next": BACK_OFFICE},
    )
    assert response.status_code == 302
    # The password alone opens no back-office page: each leads to the code's.
    for url in (BACK_OFFICE, reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(STEP), url
    response = client.post(STEP, {"code": code(device), "next": BACK_OFFICE})
    assert response.status_code == 302 and response.url == BACK_OFFICE
    assert client.get(BACK_OFFICE).status_code == 200


def test_an_agent_past_the_grace_period_enrols_before_the_back_office(client, agent):
    SecondFactor.objects.create(user=agent, grace_until=datetime.date(2020, 1, 1))
    client.post(BACK_OFFICE_LOGIN, {"username": "agent.loire", "password": DEFAULT_PASSWORD})
    response = client.get(BACK_OFFICE)
    assert response.status_code == 302 and response.url == reverse("accounts:security")


def test_a_password_reset_does_not_bypass_the_second_factor(client, sign_in_post):
    admin = UserFactory(partner_admin=True, identifiant="100000001", email="claire@example.fr")
    device = give_totp(admin)
    client.post(reverse("accounts:password_forgotten"), {"identifiant": "100000001"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    admin.refresh_from_db()
    assert admin.check_password(NEW)
    # The new password opens no session by itself, and signing in with it still asks for the code.
    assert client.get(reverse("accounts:welcome")).status_code == 302
    assert sign_in_post("100000001", NEW).status_code == 302
    response = client.get(reverse("accounts:welcome"))
    assert response.status_code == 302 and response.url.startswith(STEP)
    assert client.post(STEP, {"code": code(device)}).url == reverse("accounts:welcome")


def test_the_totp_key_and_the_recovery_codes_come_from_the_systems_csprng(monkeypatch):
    drawn = []

    def urandom(n):
        drawn.append(n)
        return bytes(range(n))

    # django-otp draws the TOTP key from os.urandom, the recovery codes come from secrets.token_bytes:
    # both read the operating system's CSPRNG.
    monkeypatch.setattr("django_otp.util.urandom", urandom)  # its `from os import urandom`
    monkeypatch.setattr("secrets.token_bytes", urandom)
    assert services.new_secret() == bytes(range(20)).hex()
    assert services.new_recovery_code() == "aaaqeaye"  # base32 of the bytes 0, 1, 2, 3, 4
    assert drawn == [20, 5]


def test_codes_and_keys_are_long_enough():
    user = UserFactory()
    # The TOTP key: 160 bits; its codes: 6 digits (about 20 bits) every 30 seconds.
    assert len(bytes.fromhex(services.new_secret())) * 8 == 160
    device = give_totp(user)
    assert (device.digits, device.step) == (6, 30)
    assert re.fullmatch(r"\d{6}", code(device))
    # Recovery codes: 8 characters of base32, 40 bits each, all different.
    codes = services.new_recovery_codes(user)
    assert len(codes) == services.RECOVERY_CODE_COUNT == 10 and len(set(codes)) == 10
    for recovery_code in codes:
        assert re.fullmatch(r"[a-z2-7]{8}", recovery_code)
        assert len(b32decode(recovery_code.upper())) * 8 == 40
