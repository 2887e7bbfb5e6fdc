"""Issue 13 §1: re-authentication (password, and the code when the user has a second factor) before a
sensitive action; a sign-in counts for REAUTH_MAX_AGE, then it is asked again, then honoured."""

import datetime

import pytest
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.second_factor import code, force_login_verified, give_totp
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

EMAIL_CHANGE = reverse("accounts:email_change")
REAUTH = reverse("accounts:reauth")


def later(time_machine, minutes=6):
    time_machine.shift(datetime.timedelta(minutes=minutes))


def test_a_fresh_sign_in_counts_as_confirmed(client):
    client.force_login(UserFactory(declarant=True))
    assert client.get(EMAIL_CHANGE).status_code == 200


def test_the_mail_change_asks_the_password_again_then_comes_back(client, time_machine):
    client.force_login(UserFactory(declarant=True))
    later(time_machine)
    response = client.get(EMAIL_CHANGE)
    assert response.status_code == 302 and response.url == f"{REAUTH}?next={EMAIL_CHANGE.replace('/', '%2F')}"
    page = client.get(response.url)
    assert "code" not in page.context["form"].fields  # no second factor: the password alone
    wrong = client.post(REAUTH, {"password": "pas-le-bon", "next": EMAIL_CHANGE})
    assert "Mot de passe incorrect." in wrong.content.decode()
    response = client.post(REAUTH, {"password": DEFAULT_PASSWORD, "next": EMAIL_CHANGE})
    assert response.url == EMAIL_CHANGE
    assert client.get(EMAIL_CHANGE).status_code == 200
    later(time_machine)
    assert client.get(EMAIL_CHANGE).status_code == 302


def test_with_a_second_factor_the_code_is_asked_too(client, time_machine):
    user = UserFactory(partner_admin=True)
    device = give_totp(user)
    force_login_verified(client, user)
    later(time_machine)
    assert "code" in client.get(f"{REAUTH}?next={EMAIL_CHANGE}").context["form"].fields
    response = client.post(REAUTH, {"password": DEFAULT_PASSWORD, "code": "000000", "next": EMAIL_CHANGE})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()
    response = client.post(REAUTH, {"password": DEFAULT_PASSWORD, "code": code(device), "next": EMAIL_CHANGE})
    assert response.url == EMAIL_CHANGE


def test_reauth_leads_nowhere_outside_the_portal(client):
    client.force_login(UserFactory(declarant=True))
    response = client.post(REAUTH, {"password": DEFAULT_PASSWORD, "next": "https://evil.example/"})
    assert response.url == reverse("accounts:welcome")
