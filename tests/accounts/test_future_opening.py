"""Decision 17: an account whose date d'ouverture is to come activates, but signs in only from that date."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.forms import LOCKED_OUT, LOGIN_FAILED
from accounts.services import request_email_change, send_activation_mail
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "Une phrase de passe toute neuve"


@pytest.fixture
def opens_in_ten_days():
    return timezone.localdate() + datetime.timedelta(days=10)


@pytest.fixture
def future_user(opens_in_ten_days):
    return UserFactory(identifiant="100000001", date_ouverture=opens_in_ten_days)


def opening_message(date):
    return escape(f"Votre compte sera ouvert le {date:%d/%m/%Y}")


def test_right_password_before_the_opening_date_says_when_the_account_opens(
    client, sign_in_post, future_user, opens_in_ten_days
):
    response = sign_in_post("100000001")
    page = response.content.decode()
    assert response.status_code == 200
    assert opening_message(opens_in_ten_days) in page
    assert escape(LOGIN_FAILED) not in page
    assert "_auth_user_id" not in client.session


def test_right_password_before_the_opening_date_never_counts_towards_the_lockout(
    sign_in_post, future_user, opens_in_ten_days
):
    for _ in range(12):
        response = sign_in_post("100000001")
        assert response.status_code == 200
        assert opening_message(opens_in_ten_days) in response.content.decode()
    assert not AccessAttempt.objects.filter(username="100000001").exists()


def test_wrong_password_of_an_account_opening_later_is_an_ordinary_failure(sign_in_post, future_user):
    response = sign_in_post("100000001", "pas le bon")
    page = response.content.decode()
    assert escape(LOGIN_FAILED) in page and "sera ouvert" not in page
    assert AccessAttempt.objects.get(username="100000001").failures_since_start == 1
    for _ in range(9):
        sign_in_post("100000001", "pas le bon")
    # Locked: even the right password now gets the lockout message, not the opening date.
    response = sign_in_post("100000001")
    assert response.status_code == 403 and escape(LOCKED_OUT) in response.content.decode()


def test_the_account_signs_in_from_its_opening_date(client, sign_in_post, future_user, opens_in_ten_days):
    future_user.date_ouverture = timezone.localdate()
    future_user.save()
    assert sign_in_post("100000001").status_code == 302


def test_an_account_opening_later_activates_with_its_link(client, future_user, opens_in_ten_days):
    request = RequestFactory().get("/")
    send_activation_mail(request, future_user)
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session entry
    page = client.get(form_url).content.decode()
    assert "Nouveau mot de passe" in page
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    future_user.refresh_from_db()
    assert future_user.check_password(NEW)
    response = client.post(reverse("accounts:login"), {"username": "100000001", "password": NEW})
    assert opening_message(opens_in_ten_days) in response.content.decode()


def test_password_update_before_the_opening_date_says_when_the_account_opens(
    client, future_user, opens_in_ten_days
):
    response = client.post(
        reverse("accounts:password_update"),
        {
            "identifiant": "100000001",
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW,
            "new_password2": NEW,
        },
    )
    assert opening_message(opens_in_ten_days) in response.content.decode()
    assert not AccessAttempt.objects.filter(username="100000001").exists()


def test_password_forgotten_sends_a_link_to_an_account_opening_later(client, future_user):
    client.post(reverse("accounts:password_forgotten"), {"identifiant": "100000001"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [future_user.email]


def test_password_forgotten_sends_nothing_to_a_closed_account(client):
    UserFactory(identifiant="100000001", closed=True)
    client.post(reverse("accounts:password_forgotten"), {"identifiant": "100000001"})
    assert mail.outbox == []


def test_an_account_opening_later_can_confirm_a_new_address(client, future_user):
    """Its administrator corrects the address before the opening date: the link still works."""
    request_email_change(RequestFactory().get("/"), future_user, "nouvelle@example.fr")
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    client.post(link)
    future_user.refresh_from_db()
    assert future_user.email == "nouvelle@example.fr"
