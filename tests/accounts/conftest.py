import pytest
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD


@pytest.fixture
def sign_in_post(client):
    """Posts the real sign-in form; returns the response (not followed)."""

    def _post(identifiant, password=DEFAULT_PASSWORD):
        return client.post(reverse("accounts:login"), {"username": identifiant, "password": password})

    return _post
