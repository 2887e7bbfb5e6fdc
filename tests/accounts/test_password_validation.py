"""The password policy of the README (CNIL 2022-100 + OWASP ASVS 5.0 V6), through AUTH_PASSWORD_VALIDATORS."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(identifiant="123456789", nom="DUBOIS", prenom="Jean", email="jean.dubois@example.fr")


def messages_for(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "Loire-42-vélo",  # 12 characters: the minimum
        "cheval batterie agrafe",  # a passphrase, no composition rule
        "une phrase de passe très longue pour un service public en ligne, 70 c.",  # 64 and more
    ],
)
def test_long_enough_passwords_are_accepted(user, password):
    assert len(password) >= 12
    assert messages_for(password, user) == []


def test_eleven_characters_are_refused_in_french(user):
    assert messages_for("Loire-42-vl", user) == [
        "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."
    ]


def test_very_long_passwords_are_bounded(user):
    assert "Le mot de passe ne peut pas dépasser 128 caractères." in messages_for("x7-" * 50, user)


@pytest.mark.parametrize(
    "password", ["motdepasse123", "azertyuiopaz", "azertyuiop123!", "aaaaaaaaaaaaaaa", "123456789012"]
)
def test_common_and_obvious_passwords_are_refused(user, password):
    assert messages_for(password, user)


@pytest.mark.parametrize("password", ["123456789abcd", "jeandubois2026", "Jean.Dubois@example"])
def test_passwords_made_of_the_identifiant_or_the_name_are_refused(user, password):
    assert messages_for(password, user)


CONTEXT_WORDS = (
    "Le mot de passe ne doit pas être fait des mots du service (Caf, CNAF, AFAS, MCP, portail, partenaire…) "
    "ni du nom de votre organisme, de votre Caf ou de votre commune."
)


@pytest.mark.parametrize(
    "password",
    [
        "Portail-Partenaire!",
        "MonCompte-AFAS-2026",
        "P0rt4il-CNAF-2026!",
        "caf.mcp.afas.2026",
        "Partenaire2026!",
    ],
)
def test_passwords_made_of_the_services_words_are_refused(user, password):
    assert CONTEXT_WORDS in messages_for(password, user)


def test_passwords_made_of_the_organisme_the_caf_or_the_commune_are_refused():
    user = UserFactory(
        organisme__raison_sociale="Association Les Petits Loups",
        organisme__caf__nom="Caf de la Loire",
        organisme__adresse="3 place Jean Jaurès\n42000 Saint-Étienne",
    )
    for password in ("PetitsLoups-2026!", "Loire-42-Loire-42", "Saint-Etienne-42!", "Les petits loups 42"):
        assert CONTEXT_WORDS in messages_for(password, user), password
    # The same passwords are another organisme's business.
    other = UserFactory(organisme__raison_sociale="Crèche Arc-en-ciel", organisme__adresse="")
    assert messages_for("PetitsLoups-2026!", other) == []


@pytest.mark.parametrize("password", ["cafetière du matin", "un portail bleu dans le jardin"])
def test_a_service_word_inside_a_passphrase_is_accepted(user, password):
    assert messages_for(password, user) == []


@pytest.mark.parametrize("password", ["marseille13013", "soleil123456", "doudou123456", "princesse123"])
def test_breached_passwords_are_refused_offline(user, password, monkeypatch):
    # No outside service is asked: the check would fail on a socket.
    def no_network(*args, **kwargs):
        raise AssertionError("no network")

    monkeypatch.setattr("socket.socket.connect", no_network)
    assert "Ce mot de passe figure dans des fuites de mots de passe connues : choisissez-en un autre." in (
        messages_for(password, user)
    )
