"""Password fields (ASVS 5.0 V6.2.6–6.2.8, docs/asvs.md): masked, open to paste and to password managers,
and the password checked exactly as typed."""

import html.parser

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class Inputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def password_inputs(response):
    parser = Inputs()
    parser.feed(response.content.decode())
    return [attrs for attrs in parser.inputs if "password" in attrs.get("name", "")]


def test_every_password_field_is_masked_and_lets_the_browser_help():
    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    pages = [
        (Client(), reverse("accounts:login")),
        (Client(), reverse("accounts:password_update")),
        (signed_in, reverse("accounts:email_change")),
    ]
    seen = 0
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        fields = password_inputs(response)
        assert fields, f"{url} : aucun champ de mot de passe"
        for attrs in fields:
            seen += 1
            assert attrs.get("type") == "password", (url, attrs)
            assert not {"onpaste", "oncopy", "readonly"} & set(attrs), (url, attrs)
            assert attrs.get("autocomplete") != "off", (url, attrs)
    assert seen >= 5  # sign-in 1, update 3 (current, new twice), mail change 1


@pytest.mark.parametrize(
    "typed",
    [
        DEFAULT_PASSWORD.upper(),  # no case folding
        DEFAULT_PASSWORD + " ",  # no trimming
        " " + DEFAULT_PASSWORD,
        DEFAULT_PASSWORD[:-1],  # no truncation to a prefix
    ],
)
def test_the_password_is_checked_exactly_as_typed(typed):
    UserFactory(identifiant="123456789")
    refused = Client().post(reverse("accounts:login"), {"username": "123456789", "password": typed})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    accepted = Client().post(
        reverse("accounts:login"), {"username": "123456789", "password": DEFAULT_PASSWORD}
    )
    assert accepted.status_code == 302


def test_a_long_password_is_not_truncated():
    long_password = "une phrase de passe très longue, " * 3  # 99 characters
    user = UserFactory(identifiant="123456789")
    user.set_password(long_password)
    user.save()
    typed = long_password[:-1] + "!"  # only the 99th character differs
    refused = Client().post(reverse("accounts:login"), {"username": "123456789", "password": typed})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    accepted = Client().post(reverse("accounts:login"), {"username": "123456789", "password": long_password})
    assert accepted.status_code == 302
