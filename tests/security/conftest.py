import pytest
from django.test import Client

from .scenario import build_scenario


@pytest.fixture
def scenario(db):
    return build_scenario()


@pytest.fixture
def client_as(scenario):
    """client_as(profile, **client_options): a client signed in as that profile of the scenario."""

    def make(profile, **options):
        client = Client(**options)
        user = scenario.users[profile]
        if user is not None:
            client.force_login(user)
        return client

    return make
