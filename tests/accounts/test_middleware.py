import time

import pytest
from django.contrib.sessions.backends.db import SessionStore

from tests.accounts.factories import UserFactory

WELCOME = "/mon-compte-partenaire/bienvenue/"

pytestmark = pytest.mark.django_db


def set_last_activity(client, seconds_ago):
    session = client.session
    session["last_activity"] = time.time() - seconds_ago
    session.save()


def test_idle_for_31_minutes_is_signed_out(client):
    client.force_login(UserFactory())
    set_last_activity(client, 31 * 60)
    response = client.get(WELCOME, follow=True)
    assert response.redirect_chain[0][0].startswith("/mon-compte-partenaire/connexion/")
    assert "déconnecté après 30 minutes sans activité" in response.content.decode()


def test_active_29_minutes_ago_stays_signed_in(client):
    client.force_login(UserFactory())
    set_last_activity(client, 29 * 60)
    assert client.get(WELCOME).status_code == 200


def test_pages_in_quick_succession_do_not_rewrite_the_session(client, django_assert_num_queries):
    client.force_login(UserFactory())
    client.get(WELCOME)
    recorded = SessionStore(client.session.session_key)["last_activity"]
    # session, savepoint + release (ATOMIC_REQUESTS in the test's transaction); the user's row and the
    # rights come from the cache (accounts/user_cache.py, conventions/rights.py); no session UPDATE
    with django_assert_num_queries(3):
        client.get(WELCOME)
    assert SessionStore(client.session.session_key)["last_activity"] == recorded


def set_signed_in_at(client, seconds_ago):
    session = client.session
    session["signed_in_at"] = time.time() - seconds_ago
    session.save()


def test_signed_in_for_more_than_12_hours_is_signed_out_even_when_active(client):
    client.force_login(UserFactory())
    set_signed_in_at(client, 12 * 3600 + 60)
    set_last_activity(client, 10)
    response = client.get(WELCOME, follow=True)
    assert response.redirect_chain[0][0].startswith("/mon-compte-partenaire/connexion/")
    assert "une connexion dure au plus 12 heures" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_11_hours_ago_and_active_stays_signed_in(client):
    client.force_login(UserFactory())
    set_signed_in_at(client, 11 * 3600)
    set_last_activity(client, 10)
    assert client.get(WELCOME).status_code == 200


def test_a_signed_in_page_is_never_stored_by_the_browser(client):
    client.force_login(UserFactory())
    assert "no-store" in client.get(WELCOME)["Cache-Control"]


def test_a_public_page_may_be_stored(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
