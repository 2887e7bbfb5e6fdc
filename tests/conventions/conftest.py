"""Two partners side by side: the Clos des Potiers (administered by `admin`) and Martigues (another
partner's administrator `other_admin`), so every view can be tried by each profile."""

import pytest

from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionAdministratorFactory, ConventionFactory

BACKEND = "accounts.backends.OpenUserBackend"
PROFILES = ["anonymous", "declarant", "admin", "other_admin", "caf_agent"]
# The profiles whose relation to the page tests/security/url_matrix.py does not try on a convention's
# pages: a declarant of this partner, this convention's administrator (no other partner's names shown), the
# agent of this Caf. The anonymous visitor and another partner's administrator (404) are in the matrix.
PROFILES_OF_THIS_PARTNER = ["declarant", "admin", "caf_agent"]
# A page of one convention: sign-in page, no right, allowed, foreign id (404, not 403), no right.
PAGE_STATUS = {"anonymous": 302, "declarant": 403, "admin": 200, "other_admin": 404, "caf_agent": 403}
CLOS_NAMES = ["DUBOIS", "Centre Social le Clos des Potiers"]
FOREIGN_NAMES = ["STEED", "COMMUNE DE MARTIGUES"]


@pytest.fixture
def convention(db):
    return ConventionFactory(
        libelle="Centre Social le Clos des Potiers",
        organisme__raison_sociale="Centre Social le Clos des Potiers",
        organisme__caf__nom="Caf de la Loire",
    )


@pytest.fixture
def admin(convention):
    return ConventionAdministratorFactory(
        convention=convention, user__nom="BERNARD", user__prenom="Claire", user__identifiant="100000001"
    ).user


@pytest.fixture
def member(convention):
    return UserFactory(organisme=convention.organisme, nom="DUBOIS", prenom="Jean", declarant=True)


@pytest.fixture
def other_convention(db):
    return ConventionFactory(
        libelle="COMMUNE DE MARTIGUES",
        organisme__raison_sociale="COMMUNE DE MARTIGUES",
        organisme__caf__nom="Caf des Bouches-du-Rhône",
    )


@pytest.fixture
def other_admin(other_convention):
    return ConventionAdministratorFactory(convention=other_convention, user__nom="ROUX").user


@pytest.fixture
def foreign_user(other_convention):
    return UserFactory(organisme=other_convention.organisme, nom="STEED", prenom="John", declarant=True)


@pytest.fixture
def client_as(client, admin, member, other_admin, foreign_user, convention):
    """A test client signed in as one of PROFILES (the agent works for the Clos's Caf)."""

    def sign_in(profile):
        users = {
            "declarant": lambda: member,
            "admin": lambda: admin,
            "other_admin": lambda: other_admin,
            "caf_agent": lambda: UserFactory(caf_agent=True, caf=convention.caf),
        }
        if profile != "anonymous":
            client.force_login(users[profile](), backend=BACKEND)
        return client

    return sign_in


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin, backend=BACKEND)
    return client


def assert_no_foreign_names(response, names=FOREIGN_NAMES):
    content = response.content.decode()
    for name in names:
        assert name not in content


def body_of(response):
    """The page below its header: the header names the signed-in user (Jean DUBOIS for the declarant),
    even on the 403 page."""
    return response.content.decode().split("</header>", 1)[-1]
