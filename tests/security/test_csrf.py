"""Every POST without a CSRF token is refused, on every URL of the portal, signed in or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .state import tables_written
from .url_matrix import route_for
from .urls import named_urls

NAMED_URLS = named_urls()


@pytest.mark.parametrize("name", sorted(NAMED_URLS))
def test_post_without_csrf_token_is_refused(name, scenario, client_as):
    url = reverse(name, kwargs=route_for(name, NAMED_URLS[name]).kwargs(scenario))
    for profile in ("anonymous", "admin_a", "admin_b", "agent_other_caf"):
        client = client_as(profile, enforce_csrf_checks=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"username": "123456789", "password": "x", "name": "forged"})
        assert response.status_code == 403, f"POST {url} sans jeton CSRF accepté en {profile}"
        assert "Demande refusée" in response.content.decode(), "page de refus non française"
        assert tables_written(queries, bookkeeping=False) == [], (
            f"POST {url} refusé mais a écrit dans la base"
        )


@pytest.mark.django_db
def test_post_with_the_token_of_the_form_is_accepted(client):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:login"), {"username": "999999999", "password": "x", "csrfmiddlewaretoken": token}
    )
    assert (
        response.status_code == 200 and "Identifiant ou mot de passe incorrect" in response.content.decode()
    )
