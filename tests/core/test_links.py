"""Every absolute link of a mail starts with SITE_URL, the public address, whatever host the request had."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.links import absolute_url
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_absolute_url_prefers_the_public_address(settings, rf):
    request = rf.get("/", HTTP_HOST="127.0.0.1:8001")
    settings.SITE_URL = "https://portail.example.fr/"
    assert absolute_url("/afas/", request) == "https://portail.example.fr/afas/"
    settings.SITE_URL = ""
    assert absolute_url("/afas/", request) == "http://127.0.0.1:8001/afas/"


def test_reset_link_of_a_request_behind_the_proxy_points_to_the_public_address(client, settings):
    settings.SITE_URL = "https://portail.example.fr"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    UserFactory(identifiant="100000001", email="claire@example.fr")
    client.post(reverse("accounts:password_forgotten"), {"identifiant": "100000001"}, HTTP_HOST="127.0.0.1")
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(
        link.startswith("https://portail.example.fr/mon-compte-partenaire/") for link in links
    )
