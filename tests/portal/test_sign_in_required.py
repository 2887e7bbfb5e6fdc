"""Sign-in is required by default (LoginRequiredMiddleware): a page is public only when its view says so
with @login_not_required, and the list of public pages below is where that choice is reviewed."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.security.urls import url_patterns

pytestmark = pytest.mark.django_db

# Readable without signing in: the entrance, signing in and out, passwords, the links of mails, the
# footer's pages and the probes. The back-office checks its own sign-in (staff only) on its own page.
PUBLIC = {
    "home",
    "healthz",
    "readyz",
    "accounts:login",
    "accounts:logout",
    "accounts:keep_alive",
    "accounts:password_update",
    "accounts:password_forgotten",
    "accounts:activate",
    "accounts:email_change_confirm",
    "pages:accessibility",
    "pages:legal_notice",
    "pages:privacy",
    "pages:usage_rules",
}


def is_public(pattern):
    return not getattr(pattern.callback, "login_required", True)


def test_only_the_listed_portal_pages_are_public():
    public = {
        name
        for name, pattern, _ in url_patterns()
        if name and not name.startswith("admin:") and is_public(pattern)
    }
    assert public == PUBLIC


def test_every_back_office_url_is_left_to_the_back_office_sign_in():
    back_office = [pattern for _, pattern, route in url_patterns() if route.startswith("back-office/")]
    assert back_office and all(is_public(pattern) for pattern in back_office)


def test_anonymous_is_sent_to_the_sign_in_page_with_the_page_asked_for(client):
    response = client.get(reverse("conventions:list") + "?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/mon-compte-partenaire/connexion/?next=/conventions/%3Fpage%3D2"


def test_anonymous_back_office_is_sent_to_the_back_office_sign_in(client):
    response = client.get(reverse("admin:conventions_convention_changelist"))
    assert response.status_code == 302
    assert response["Location"] == "/back-office/login/?next=/back-office/conventions/convention/"


def test_signed_in_user_reaches_a_page_without_rights(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:email_change")).status_code == 200
