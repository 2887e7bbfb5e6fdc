import pytest
from django.test import Client

from tests.accounts.second_factor import force_login_verified

from .scenario import build_scenario


@pytest.fixture
def scenario(db):
    return build_scenario()


@pytest.fixture
def client_as(scenario):
    """client_as(profile, **client_options): a client signed in as that profile of the scenario, past the
    second step when the profile has a second factor (a passkey of the matrix's own)."""

    def make(profile, **options):
        client = Client(**options)
        user = scenario.users[profile]
        if user is not None:
            force_login_verified(client, user)
        return client

    return make
