import pytest

from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, LieuFactory
from tests.conventions.factories import OrganismeFactory


@pytest.fixture
def organisme(db):
    return OrganismeFactory(raison_sociale="Centre Social le Clos des Potiers")


@pytest.fixture
def manager(organisme):
    """A partner administrator in AFAS-HABILITER: may manage habilitations."""
    return UserFactory(
        organisme=organisme, partner_admin=True, habiliter=True, nom="BERNARD", prenom="Claire"
    )


@pytest.fixture
def declarant(organisme):
    return UserFactory(organisme=organisme, declarant=True, nom="DUBOIS", prenom="Jean")


@pytest.fixture
def activite(organisme):
    return ActiviteFactory(organisme=organisme, nom="Péri Assoc")


@pytest.fixture
def lieux(activite):
    return [LieuFactory(activite=activite, nom="Site"), LieuFactory(activite=activite, nom="Site Ecoles")]


@pytest.fixture
def other_organisme(db, organisme):
    return OrganismeFactory(raison_sociale="COMMUNE DE MARTIGUES")


@pytest.fixture
def agent(organisme):
    return UserFactory(caf_agent=True, caf=organisme.caf, identifiant="agent.loire")
