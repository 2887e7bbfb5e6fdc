"""Sign-in does not tell whether an identifiant exists, and gives a new session key."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

LOGIN = "/mon-compte-partenaire/connexion/"

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """Counts the hash computations: the cost of a sign-in attempt, whatever the clock says."""

    computations = 0

    def encode(self, password, salt):
        CountingHasher.computations += 1
        return super().encode(password, salt)


def attempt(identifiant, password="mauvais mot de passe"):
    return Client().post(LOGIN, {"username": identifiant, "password": password})


def page_without(response, identifiant):
    """The page with what may differ legitimately removed: the CSRF token and the identifiant typed."""
    html = response.content.decode().replace(identifiant, "IDENTIFIANT")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_unknown_identifiant_and_wrong_password_get_the_same_page():
    UserFactory(identifiant="123456789")
    unknown, wrong = attempt("999999999"), attempt("123456789")
    assert unknown.status_code == wrong.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in wrong.content.decode()
    assert page_without(unknown, "999999999") == page_without(wrong, "123456789")


def test_unknown_identifiant_costs_the_same_hashing_as_a_wrong_password(settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_sign_in.CountingHasher"]
    UserFactory(identifiant="123456789")
    costs = []
    for identifiant in ("123456789", "999999999"):
        CountingHasher.computations = 0
        attempt(identifiant)
        costs.append(CountingHasher.computations)
    assert costs[0] == costs[1] >= 1


def test_lockout_looks_the_same_for_an_unknown_identifiant(settings):
    UserFactory(identifiant="123456789")
    last = {}
    for identifiant in ("123456789", "999999999"):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            last[identifiant] = attempt(identifiant)
    assert last["123456789"].status_code == last["999999999"].status_code == 403
    assert page_without(last["123456789"], "123456789") == page_without(last["999999999"], "999999999")


def test_session_key_changes_at_sign_in():
    UserFactory(identifiant="123456789")
    client = Client()
    anonymous_session = client.session
    anonymous_session["panier"] = "avant connexion"
    anonymous_session.save()
    before = client.cookies["sessionid"].value

    client.post(LOGIN, {"username": "123456789", "password": DEFAULT_PASSWORD})

    after = client.cookies["sessionid"].value
    assert after != before
    assert not SessionStore().exists(before)
    assert SessionStore(session_key=after).get("_auth_user_id")
