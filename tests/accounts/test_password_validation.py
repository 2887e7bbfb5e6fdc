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
