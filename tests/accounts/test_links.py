"""The sensitive links of a mail (activation, « Mot de passe oublié », mail change): each expires after
3 days (PASSWORD_RESET_TIMEOUT), serves once, dies when the password changes and when a newer link of the
same kind is sent."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from accounts.services import (
    change_password,
    request_email_change,
    send_activation_mail,
    send_password_reset_mail,
)
from tests.accounts.factories import UserFactory
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

NEW = "Une phrase de passe toute neuve"
OTHER = "Encore une autre phrase de passe"


def last_link():
    return re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)


def set_password_form(link):
    """The page a password link leads to: the form when the link is valid."""
    return Client().get(link, follow=True)


def password_link_works(link):
    return "Nouveau mot de passe" in set_password_form(link).content.decode()


def use_password_link(link):
    page = Client()
    form_page = page.get(link, follow=True)
    page.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})


def email_link_works(link):
    response = Client().get(link)
    return response.status_code == 200 and "Confirmer cette adresse" in response.content.decode()


def use_email_link(link):
    Client().post(link)


@dataclass
class Kind:
    send: Callable
    works: Callable
    use: Callable


KINDS = {
    "activation": Kind(
        send=lambda user: send_activation_mail(RequestFactory().get("/"), user),
        works=password_link_works,
        use=use_password_link,
    ),
    "mot de passe oublié": Kind(
        send=lambda user: send_password_reset_mail(RequestFactory().get("/"), user.identifiant),
        works=password_link_works,
        use=use_password_link,
    ),
    "changement d'adresse mail": Kind(
        send=lambda user: request_email_change(RequestFactory().get("/"), user, "jean@nouvelle.fr"),
        works=email_link_works,
        use=use_email_link,
    ),
}


@pytest.fixture(params=KINDS.values(), ids=KINDS.keys())
def kind(request):
    return request.param


@pytest.fixture
def user():
    return UserFactory(identifiant="123456789", email="jean@ancienne.fr")


def test_a_fresh_link_works_for_almost_three_days(kind, user, time_machine):
    kind.send(user)
    time_machine.shift(datetime.timedelta(days=3) - datetime.timedelta(minutes=1))
    assert kind.works(last_link())


def test_the_link_expires_after_three_days(kind, user, time_machine):
    kind.send(user)
    time_machine.shift(datetime.timedelta(days=3, minutes=1))
    assert not kind.works(last_link())


def test_the_link_serves_once(kind, user):
    kind.send(user)
    link = last_link()
    kind.use(link)
    assert not kind.works(link)


def test_a_password_change_kills_the_link(kind, user):
    kind.send(user)
    link = last_link()
    user.refresh_from_db()
    change_password(user, OTHER)
    assert not kind.works(link)


def test_a_newer_link_kills_the_older_one(kind, user):
    kind.send(user)
    older = last_link()
    user.refresh_from_db()
    kind.send(user)
    newer = last_link()
    assert newer != older
    assert not kind.works(older)
    assert kind.works(newer)
