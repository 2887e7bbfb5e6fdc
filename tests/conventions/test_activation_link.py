import re

import pytest
from django.core import mail

from tests.conventions.test_views_users import post_create

pytestmark = pytest.mark.django_db


def test_activation_mail_of_a_created_user_points_to_the_public_address(admin_client, convention, settings):
    """Behind the proxy the request's host is the address nginx used; the mail carries SITE_URL."""
    settings.SITE_URL = "https://portail.example.fr"
    response = post_create(admin_client, convention)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert re.search(r"https://portail\.example\.fr/mon-compte-partenaire/activation/\S+/\S+/", message.body)
    assert "testserver" not in message.body
