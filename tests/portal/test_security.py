import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionAdministratorFactory

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", reverse("accounts:login"), reverse("accounts:password_update")])
def test_security_headers_are_on_every_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def partner_admin_and_convention():
    administrator = ConventionAdministratorFactory()
    return administrator.user, administrator.convention.pk


def caf_agent():
    return UserFactory(caf_agent=True, is_superuser=True), None


# Every shape of page: (who asks, the URL from the convention's pk, the status).
PAGE_SHAPES = {
    "page publique": (None, lambda pk: reverse("home"), 200),
    "page connectée": (partner_admin_and_convention, lambda pk: reverse("accounts:welcome"), 200),
    "formulaire": (partner_admin_and_convention, lambda pk: reverse("accounts:email_change"), 200),
    "PDF": (partner_admin_and_convention, lambda pk: reverse("conventions:edp", args=[pk]), 200),
    "back-office": (caf_agent, lambda pk: reverse("admin:index"), 200),
    "export du back-office": (caf_agent, lambda pk: reverse("admin:afas_declaration_export_csv"), 200),
    "page d'erreur": (partner_admin_and_convention, lambda pk: reverse("conventions:detail", args=[0]), 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", PAGE_SHAPES.values(), ids=PAGE_SHAPES.keys())
def test_every_shape_of_page_carries_the_security_headers(client, shape):
    who, url, status = shape
    pk = None
    if who is not None:
        user, pk = who()
        client.force_login(user)
    response = client.get(url(pk))
    assert response.status_code == status
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert all(f"{feature}=()" in policy for feature in ("camera", "microphone", "geolocation", "payment"))
    # Passkeys: the portal's own pages only, never a frame of another origin.
    assert "publickey-credentials-create=(self)" in policy and "publickey-credentials-get=(self)" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portail.example.fr",
    "SITE_URL": "https://portail.example.fr",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def production_settings(*names):
    env = {**os.environ, **PRODUCTION_ENV}
    for test_only in ("SECURE_SSL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"):  # set by the test set-up
        env.pop(test_only, None)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_the_subdomains():
    found = production_settings(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT"
    )
    assert found["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and found["SECURE_SSL_REDIRECT"]


def test_production_cookies_are_host_prefixed():
    found = production_settings(
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_PATH",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
    )
    assert found == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_PATH": "/",
        "CSRF_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
    }


@pytest.mark.django_db
def test_host_prefixed_cookies_are_set_as_browsers_require_and_named_on_the_privacy_page(client, settings):
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    UserFactory(identifiant="123456789")
    login = reverse("accounts:login")
    response = client.get(login, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post(login, {"username": "123456789", "password": "Portail-Demo-2026!"}, secure=True)
    assert response.status_code == 302
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = response.cookies[name]
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"], cookie.output()
    privacy = client.get(reverse("pages:privacy"), secure=True).content.decode()
    assert "<strong>__Host-sessionid</strong>" in privacy and "<strong>__Host-csrftoken</strong>" in privacy
    assert "sessionid</strong>" not in privacy.replace("__Host-sessionid</strong>", "")


def test_deploy_check_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portail.example.fr",
        "SITE_URL": "https://portail.example.fr",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    for test_only in ("SECURE_SSL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"):  # set by the test set-up
        env.pop(test_only, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_deploy_check_asks_for_the_public_address():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portail.example.fr",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    for test_only in ("SECURE_SSL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL", "SITE_URL"):
        env.pop(test_only, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "portal.W001" in result.stderr + result.stdout
