import pytest
from django.test import Client

from accounts.models import UserSession
from accounts.sessions import end_user_sessions
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

LOGIN = "/mon-compte-partenaire/connexion/"
WELCOME = "/mon-compte-partenaire/bienvenue/"

pytestmark = pytest.mark.django_db


def signed_in(identifiant):
    client = Client()
    response = client.post(LOGIN, {"username": identifiant, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get(WELCOME).status_code == 200


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_ending_sessions_signs_the_user_out_of_every_browser(settings, engine):
    settings.SESSION_ENGINE = engine
    user = UserFactory(identifiant="123456789")
    UserFactory(identifiant="111111111")
    office, home, colleague = signed_in("123456789"), signed_in("123456789"), signed_in("111111111")

    assert end_user_sessions(user) == 2

    assert not is_signed_in(office) and not is_signed_in(home)
    assert is_signed_in(colleague)
    assert not UserSession.objects.filter(user=user).exists()


def test_lockout_signs_out_the_sessions_already_open(settings):
    UserFactory(identifiant="123456789")
    victim = signed_in("123456789")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": "123456789", "password": "pas le bon mot de passe"})
    assert not is_signed_in(victim)


def test_sign_out_forgets_the_session():
    user = UserFactory(identifiant="123456789")
    client = signed_in("123456789")
    assert UserSession.objects.filter(user=user).count() == 1
    client.post("/mon-compte-partenaire/deconnexion/")
    assert not UserSession.objects.filter(user=user).exists()


def test_closing_an_account_signs_it_out_at_once():
    from conventions.services import close_user

    user = UserFactory(identifiant="123456789")
    browser = signed_in("123456789")
    close_user(user, by=UserFactory(organisme=user.organisme))
    assert not is_signed_in(browser)
    assert not UserSession.objects.filter(user=user).exists()
