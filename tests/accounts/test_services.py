import re

import pytest
from django.core import mail
from django.test import RequestFactory

from accounts.services import email_taken, send_activation_mail
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_activation_mail_gives_identifiant_and_a_single_use_link(client):
    user = UserFactory(identifiant="123123123")
    send_activation_mail(RequestFactory().get("/"), user)
    body = mail.outbox[0].body
    assert "123123123" in body and "Portail-Demo" not in body
    link = re.search(r"http://testserver(\S+)", body).group(1)
    response = client.get(link, follow=True)
    assert "Choisir votre mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "Une longue phrase de passe", "new_password2": "Une longue phrase de passe"},
    )
    user.refresh_from_db()
    assert user.check_password("Une longue phrase de passe")
    again = client.get(link, follow=True)
    assert "Ce lien n'est plus valable" in again.content.decode()


@pytest.mark.django_db
def test_email_taken_only_by_an_open_user_of_the_same_organisme():
    user = UserFactory(email="jean.dubois@csdp.fr")
    assert email_taken(user.organisme, "Jean.Dubois@csdp.fr")
    assert not email_taken(user.organisme, "jean.dubois@csdp.fr", exclude=user)
    assert not email_taken(UserFactory().organisme, "jean.dubois@csdp.fr")
    closed = UserFactory(closed=True, email="parti@csdp.fr")
    assert not email_taken(closed.organisme, "parti@csdp.fr")
