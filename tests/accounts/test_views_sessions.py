"""« Mes connexions »: the signed-in user's open sessions, and « Déconnecter les autres sessions »."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import UserSession
from accounts.second_factor.views import ENROL_KEY
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.second_factor import code_of
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

SESSIONS = reverse("accounts:sessions")
END_OTHERS = reverse("accounts:end_other_sessions")
WELCOME = reverse("accounts:welcome")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)


def browser(identifiant, user_agent=FIREFOX, ip="192.0.2.10"):
    """A browser signed in through the real sign-in form."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(reverse("accounts:login"), {"username": identifiant, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get(WELCOME).status_code == 200


@pytest.fixture
def user():
    return UserFactory(identifiant="123456789")


def test_the_page_lists_each_open_session_with_its_device_address_and_dates(user):
    office = browser("123456789", FIREFOX, "192.0.2.10")
    browser("123456789", IPHONE, "198.51.100.7")
    page = office.get(SESSIONS)
    assertContains(page, '<h1 class="portal-title">Mes connexions</h1>', html=True)
    assertContains(page, "Firefox 133 sur Windows 10")
    assertContains(page, "Mobile Safari 17 sur iOS 17 (iPhone)")
    assertContains(page, "192.0.2.10")
    assertContains(page, "198.51.100.7")
    assertContains(page, "02/12/2026 10h00", count=4)  # signed in and last used, for both sessions
    assertContains(page, "<strong>Cette session</strong>", count=1, html=True)


def test_the_page_shows_none_of_another_users_sessions(user):
    UserFactory(identifiant="111111111")
    browser("111111111", IPHONE, "198.51.100.7")
    page = browser("123456789").get(SESSIONS)
    assertNotContains(page, "198.51.100.7")
    assertNotContains(page, "iPhone")
    assertContains(page, "Aucune autre session n'est ouverte.")
    assertNotContains(page, "Déconnecter les autres sessions")


def test_the_page_is_in_the_account_menu(user):
    page = browser("123456789").get(WELCOME)
    assertContains(page, f'href="{SESSIONS}"')
    assertContains(page, "Mes connexions")


def test_the_page_needs_sign_in(client):
    response = client.get(SESSIONS)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_last_activity_follows_the_use_of_the_session(user, time_machine):
    office = browser("123456789")
    office.get(WELCOME)
    time_machine.shift(datetime.timedelta(minutes=10))
    office.get(WELCOME)
    session = UserSession.objects.get(user=user)
    assert timezone.localtime(session.last_activity_at).strftime("%H:%M") == "10:10"
    assertContains(office.get(SESSIONS), "02/12/2026 10h10")


def test_a_session_left_idle_past_the_limit_is_no_longer_listed(user, time_machine):
    browser("123456789", IPHONE, "198.51.100.7")
    time_machine.shift(datetime.timedelta(minutes=40))
    page = browser("123456789").get(SESSIONS)
    assertNotContains(page, "198.51.100.7")


def test_ending_the_other_sessions_signs_out_every_other_browser_of_the_user_only(user):
    office, home, phone = browser("123456789"), browser("123456789"), browser("123456789", IPHONE)
    UserFactory(identifiant="111111111")
    colleague = browser("111111111")

    response = office.post(END_OTHERS, follow=True)

    assertContains(response, "Les autres sessions sont déconnectées.")
    assert is_signed_in(office)
    assert not is_signed_in(home) and not is_signed_in(phone)
    assert is_signed_in(colleague)
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        office.session.session_key
    ]


def test_ending_the_other_sessions_is_a_post_with_its_csrf_token(user):
    office = browser("123456789")
    home = browser("123456789")
    assert office.get(END_OTHERS).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = office.cookies
    assert strict.post(END_OTHERS).status_code == 403
    assert is_signed_in(home)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_page_costs_the_same_queries_for_1_or_50_sessions(user, rows, django_assert_max_num_queries):
    office = browser("123456789")
    office.get(SESSIONS)
    UserSession.objects.bulk_create(
        UserSession(user=user, session_key=f"autre{n:035d}", user_agent=IPHONE, ip="198.51.100.7")
        for n in range(rows - 1)
    )
    # session, user, the sessions, the menu's rights (groups, administered conventions), the request's
    # savepoint and its release
    with django_assert_max_num_queries(7):
        response = office.get(SESSIONS)
    assertContains(response, "198.51.100.7" if rows > 1 else "Cette session")


def test_ending_the_other_sessions_asks_for_the_password_again_after_a_few_minutes(user, time_machine):
    office, home = browser("123456789"), browser("123456789")
    time_machine.shift(datetime.timedelta(minutes=6))

    response = office.post(END_OTHERS)

    reauth = reverse("accounts:reauth")
    assert response.status_code == 302 and response.url == f"{reauth}?next={SESSIONS.replace('/', '%2F')}"
    assert is_signed_in(home)  # nothing ended before the identity is confirmed
    response = office.post(reauth, {"password": DEFAULT_PASSWORD, "next": SESSIONS})
    assert response.url == SESSIONS
    assertContains(office.post(END_OTHERS, follow=True), "L&#x27;autre session est déconnectée.")
    assert not is_signed_in(home)


def test_a_password_change_signs_out_the_other_sessions(user):
    office, home = browser("123456789"), browser("123456789")
    new = "Une phrase de passe toute neuve"
    office.post(
        reverse("accounts:password_update"),
        {
            "identifiant": "123456789",
            "old_password": DEFAULT_PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert is_signed_in(office)
    assert not is_signed_in(home)


def test_after_a_change_of_the_second_factor_the_other_sessions_can_be_ended_from_there(user):
    office, home = browser("123456789"), browser("123456789")
    security = reverse("accounts:security")
    office.get(security)
    key = office.session[ENROL_KEY]

    page = office.post(reverse("accounts:security_enrol"), {"code": code_of(key)}, follow=True)

    assertContains(page, "Votre second facteur est activé")
    assertContains(page, '<h2 id="autres-sessions" class="h4">Vos autres sessions</h2>', html=True)
    assertContains(page, "Une autre session de votre compte est ouverte")
    assertContains(page, f'<form method="post" action="{END_OTHERS}">', count=1)
    office.post(END_OTHERS)
    assert not is_signed_in(home) and is_signed_in(office)
    assertNotContains(office.get(security), "Vos autres sessions")
