"""The security events of the logs (core/security_log.py, ASVS 5.0 16.3.1 to 16.3.3): every sign-in step
with the factor used, every refusal — a 403, a foreign id's 404, a suspicious request's 400 — in one place
(portal.middleware.RefusalLogMiddleware), with who and from where, and never a secret."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.second_factor import code, force_login_verified, give_totp
from tests.conventions.factories import ConventionFactory
from tests.portal.test_logging import json_lines_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STEP = reverse("accounts:second_factor")


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="security")

    def _events(name=None):
        return [
            record
            for record in caplog.records
            if record.name == "security" and (name is None or record.event == name)
        ]

    return _events


@pytest.fixture
def json_lines():
    yield from json_lines_of("security")


def test_a_foreign_id_is_logged_as_an_authorization_refusal_with_who_and_from_where(json_lines, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    mine = ConventionFactory(with_admin=True)
    theirs = ConventionFactory()
    admin = mine.administrators.get().user
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    force_login_verified(client, admin)

    assert client.get(reverse("conventions:detail", args=[theirs.pk]) + "?secret=1").status_code == 404

    (line,) = [line for line in json_lines() if line.get("event") == "authorization_refused"]
    assert line["level"] == "WARNING" and line["logger"] == "security"
    assert (line["status"], line["method"], line["view"]) == (404, "GET", "conventions:detail")
    assert line["path"] == reverse("conventions:detail", args=[theirs.pk])  # no query string
    assert (line["user_id"], line["client_ip"]) == (admin.pk, "203.0.113.5")


def test_a_403_is_logged_as_an_authorization_refusal(events):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(declarant=True))
    assert client.post(reverse("accounts:logout")).status_code == 403  # no CSRF token
    (record,) = events("authorization_refused")
    assert (record.status, record.view) == (403, "accounts:logout")


def test_an_address_that_names_no_page_is_no_refusal(client, events):
    client.force_login(UserFactory(declarant=True))
    assert client.get("/page-inconnue/").status_code == 404
    assert events("authorization_refused") == []


def test_a_suspicious_request_is_logged(client, events):
    assert client.get(LOGIN, HTTP_HOST="attaquant.example").status_code == 400
    (record,) = events("request_refused")
    assert record.status == 400 and record.path == LOGIN


def test_every_sign_in_step_is_logged_with_the_factor_and_no_secret(client, events):
    admin = UserFactory(partner_admin=True, identifiant="100000001")
    device = give_totp(admin)

    client.post(LOGIN, {"username": "100000001", "password": "pas le bon mot de passe"})
    client.post(LOGIN, {"username": "100000001", "password": DEFAULT_PASSWORD})
    client.post(STEP, {"code": "000000" if code(device) != "000000" else "111111"})
    good = code(device)
    client.post(STEP, {"code": good})
    client.post(reverse("accounts:logout"))

    assert [record.event for record in events()] == [
        "sign_in_failed",
        "sign_in",
        "second_factor_failed",
        "second_factor_passed",
        "sign_out",
    ]
    sign_in, passed = events("sign_in")[0], events("second_factor_passed")[0]
    assert (sign_in.user, sign_in.second_factor) == (admin.pk, "pending")
    assert (passed.user, passed.factor) == (admin.pk, "totp")
    logged = " ".join(f"{record.getMessage()} {record.__dict__}" for record in events())
    for secret in (DEFAULT_PASSWORD, "pas le bon mot de passe", good, "100000001"):
        assert secret not in logged


def test_a_recovery_code_and_a_lock_of_the_second_step_are_logged(client, events, settings):
    admin = UserFactory(partner_admin=True, identifiant="100000001")
    _, codes = give_totp(admin, recovery=True)
    client.post(LOGIN, {"username": "100000001", "password": DEFAULT_PASSWORD})
    client.post(STEP, {"code": codes[0]})
    assert events("second_factor_passed")[0].factor == "recovery_code"

    other = Client()
    other.post(LOGIN, {"username": "100000001", "password": DEFAULT_PASSWORD})
    for _ in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        other.post(STEP, {"code": "zzzzzzzz"})
    assert len(events("second_factor_failed")) == settings.SECOND_FACTOR_FAILURE_LIMIT
    assert [record.user for record in events("second_factor_locked")] == [admin.pk]


def test_a_rate_limited_request_is_logged(client, events, settings):
    UserFactory(identifiant="100000001")
    for _ in range(settings.MAIL_RATE_LIMIT + 1):
        response = client.post(reverse("accounts:password_forgotten"), {"identifiant": "100000001"})
    assert response.status_code == 429
    (record,) = events("rate_limited")
    assert (record.status, record.view) == (429, "accounts:password_forgotten")
