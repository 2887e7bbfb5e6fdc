"""The AFAS declaration pages share one layout: their stylesheet is in the head, once."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_afas_pages_load_their_stylesheet_once_in_the_head(client):
    client.force_login(UserFactory(declarant=True))
    for name in ["afas:home", "afas:declarations", "afas:statistics"]:
        page = client.get(reverse(name)).content.decode()
        head, body = page.split("</head>", 1)
        assert head.count("css/declarations") == 1 and "css/declarations" not in body, name
