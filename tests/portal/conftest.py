"""Fixtures of the back-office tests: the Caf de la Loire and its agent, signed in."""

import pytest

from tests.accounts.factories import UserFactory
from tests.conventions.factories import CafFactory


@pytest.fixture
def loire():
    return CafFactory(nom="Caf de la Loire")


@pytest.fixture
def agent(client, loire):
    agent = UserFactory(caf_agent=True, caf=loire, identifiant="agent.loire")
    client.force_login(agent)
    return agent
