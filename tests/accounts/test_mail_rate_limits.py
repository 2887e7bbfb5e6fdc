"""What sends mail on request is limited per identifiant and per client address (MAIL_RATE_LIMIT,
MAIL_RATE_LIMIT_PER_IP, MAIL_RATE_WINDOW), so that the portal cannot flood a mailbox."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.services import mail_limited_message
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

FORGOTTEN = reverse("accounts:password_forgotten")
CHANGE = reverse("accounts:email_change")
LIMITED = escape(mail_limited_message())


def forgotten(identifiant, ip="192.0.2.10"):
    return Client(REMOTE_ADDR=ip).post(FORGOTTEN, {"identifiant": identifiant})


@pytest.fixture
def user():
    return UserFactory(identifiant="123456789", email="jean@example.fr")


def test_the_message_is_clear_and_in_french(settings):
    assert mail_limited_message() == (
        "Trop de demandes d'envoi de mail ont été faites en peu de temps. Par sécurité, aucun mail n'est "
        "envoyé : réessayez dans 60 minutes."
    )


def test_forgotten_password_sends_three_mails_an_hour_to_an_identifiant_then_says_so(user):
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert forgotten("123456789", ip).status_code == 302
    response = forgotten("123456789", "192.0.2.4")
    assert response.status_code == 429
    page = response.content.decode()
    assert LIMITED in page and 'value="123456789"' in page  # next to the field, what was typed kept
    assert len(mail.outbox) == 3


def test_the_limit_ends_with_the_hour(user, time_machine):
    for _ in range(4):
        forgotten("123456789")
    time_machine.shift(datetime.timedelta(minutes=61))
    assert forgotten("123456789").status_code == 302
    assert len(mail.outbox) == 4


def test_an_unknown_identifiant_is_limited_the_same_way(user):
    answers = [forgotten("999999999").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    assert LIMITED in forgotten("999999999").content.decode()


def test_one_address_cannot_ask_for_more_than_the_limit_per_ip(settings):
    settings.MAIL_RATE_LIMIT_PER_IP = 5
    answers = [forgotten(f"10000000{n}", "203.0.113.9").status_code for n in range(6)]
    assert answers == [302] * 5 + [429]
    assert forgotten("100000009", "203.0.113.10").status_code == 302


def test_mail_change_requests_are_limited(user):
    client = Client()
    client.force_login(user)
    answers = []
    for n in range(4):
        new = f"jean{n}@nouvelle.fr"
        answers.append(client.post(CHANGE, {"email1": new, "email2": new, "password": DEFAULT_PASSWORD}))
    assert [response.status_code for response in answers] == [302, 302, 302, 429]
    assert (
        LIMITED in answers[-1].content.decode()
        and 'value="jean3@nouvelle.fr"' in answers[-1].content.decode()
    )
    assert len(mail.outbox) == 3
