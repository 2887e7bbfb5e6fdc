"""The signed-in user's row is read from the shared cache, never outliving a change (accounts/user_cache.py):
a closing, a password change, a deactivation, a new name or new rights reach the very next request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.closing import close_account
from accounts.models import User
from accounts.user_cache import cached_user, forget_users
from conventions.rights import rights_changed
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME = reverse("accounts:welcome")


def user_row_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(WELCOME)
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]


def signed_out(client):
    response = client.get(WELCOME)
    return response.status_code == 302 and "/connexion/" in response["Location"]


def test_the_second_page_reads_the_user_from_the_cache(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    assert user_row_queries(client) == []


def test_without_a_shared_cache_every_page_reads_the_user_row(client, settings):
    settings.USER_CACHE = False
    client.force_login(UserFactory())
    client.get(WELCOME)
    assert len(user_row_queries(client)) == 1


def test_a_closed_account_is_refused_at_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(WELCOME).status_code == 200

    # Saved without the closing service, which also ends the sessions: the cached row alone would keep it.
    user.date_cloture = datetime.date.today() - datetime.timedelta(days=1)
    user.save()

    assert signed_out(client)


def test_closing_an_account_signs_it_out_at_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(WELCOME).status_code == 200

    close_account(user, by=None)

    assert signed_out(client)


def test_a_deactivated_account_is_refused_at_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(WELCOME).status_code == 200

    user.is_active = False
    user.save()

    assert signed_out(client)


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(client):
    from django.test import Client

    user = UserFactory()
    client.force_login(user)
    other = Client()
    other.force_login(user)
    assert client.get(WELCOME).status_code == 200
    assert other.get(WELCOME).status_code == 200

    user.set_password("Un-Nouveau-Mot-De-Passe-2026!")
    user.save()

    assert signed_out(client)
    assert signed_out(other)


def test_a_new_name_shows_at_the_next_request(client):
    user = UserFactory(prenom="Manon", nom="ANDRE")
    client.force_login(user)
    assertContains(client.get(WELCOME), "Manon ANDRE")

    edited = User.objects.get(pk=user.pk)  # a form loads its own copy of the user
    edited.nom = "DURAND"
    edited.save()

    assertContains(client.get(WELCOME), "Manon DURAND")


def test_rights_changed_drops_the_cached_row_that_carries_the_rights_version(client):
    user = UserFactory()
    client.force_login(user)
    client.get(WELCOME)

    rights_changed([user.pk])  # an UPDATE: no signal

    assert len(user_row_queries(client)) == 1


def test_a_row_read_before_a_change_committed_is_never_served_after_it():
    user = UserFactory(nom="AVANT")
    stale = User.objects.get(pk=user.pk)

    def load_then_change_commits(pk):
        # The request read the row, then the change commits before the request stores it.
        User.objects.filter(pk=pk).update(nom="APRES")
        forget_users([pk])
        return stale

    assert cached_user(user.pk, load_then_change_commits).nom == "AVANT"
    assert cached_user(user.pk, lambda pk: User.objects.get(pk=pk)).nom == "APRES"
