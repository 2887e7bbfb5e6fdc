import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.sessions import end_user_sessions
from afas.models import AuditAction, AuditEvent
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.second_factor import force_login_verified
from tests.conventions.factories import CafFactory

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


def end_sessions_from_the_back_office(client, *users, select_across=False):
    data = {"action": "end_sessions", "_selected_action": [user.pk for user in users]}
    if select_across:
        data["select_across"] = "1"
    return client.post(reverse("admin:accounts_user_changelist"), data, follow=True)


@pytest.fixture
def loire():
    return CafFactory(code="421", nom="Caf de la Loire")


@pytest.fixture
def agent_client(loire):
    client = Client()
    force_login_verified(client, UserFactory(caf_agent=True, caf=loire, identifiant="agent.loire"))
    return client


def test_an_agent_ends_every_session_of_a_user_without_closing_the_account(agent_client, loire):
    user = UserFactory(identifiant="123456789", organisme__caf=loire)
    colleague = UserFactory(identifiant="111111111", organisme=user.organisme)
    office, home, theirs = signed_in("123456789"), signed_in("123456789"), signed_in("111111111")

    page = end_sessions_from_the_back_office(agent_client, user)

    assert "2 session(s) fermée(s) pour 1 compte(s) ; les comptes restent ouverts." in page.content.decode()
    assert not is_signed_in(office) and not is_signed_in(home)
    assert is_signed_in(theirs)
    user.refresh_from_db()
    assert user.is_open() and is_signed_in(signed_in("123456789"))  # the account stays open
    event = AuditEvent.objects.get(action=AuditAction.SESSIONS_ENDED)
    assert (event.subject, event.actor.identifiant, event.details) == (
        user,
        "agent.loire",
        {"sessions fermées": 2},
    )
    assert event.ip_address == "127.0.0.1"
    assert colleague.audit_events_about.count() == 0


def test_an_agent_ends_the_sessions_of_all_the_users_of_their_caf_only(agent_client, loire):
    UserFactory(identifiant="123456789", organisme__caf=loire)
    UserFactory(identifiant="111111111", organisme__caf=loire)
    UserFactory(identifiant="300000001")  # another Caf's
    ours, theirs, other_caf = signed_in("123456789"), signed_in("111111111"), signed_in("300000001")
    some_user = UserFactory(identifiant="222222222", organisme__caf=loire)

    end_sessions_from_the_back_office(agent_client, some_user, select_across=True)

    assert not is_signed_in(ours) and not is_signed_in(theirs)
    assert is_signed_in(other_caf)
    assert not AuditEvent.objects.filter(subject__identifiant="300000001").exists()
