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
    # session, user, savepoint + release (ATOMIC_REQUESTS in the test's transaction), rights (groups,
    # administered conventions); no session UPDATE
    with django_assert_num_queries(6):
        client.get(WELCOME)
    assert SessionStore(client.session.session_key)["last_activity"] == recorded
