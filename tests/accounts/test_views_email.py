import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.forms import LOCKED_OUT
from accounts.services import request_email_change
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.clock import on_today

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:email_change")


@pytest.fixture
def user(client):
    user = UserFactory(identifiant="123456789", email="jean@ancienne.fr", declarant=True)
    client.force_login(user)
    return user


def ask(client, email1="jean@nouvelle.fr", email2="jean@nouvelle.fr", password=DEFAULT_PASSWORD):
    return client.post(CHANGE, {"email1": email1, "email2": email2, "password": password})


def confirmation_link():
    return re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)


def test_mail_change_needs_sign_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_mail_change_page_is_in_the_menu(client, user):
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert f'href="{CHANGE}"' in page and "Modifier mon adresse mail" in page


def test_request_sends_a_link_to_the_new_address_and_changes_nothing_yet(client, user):
    response = ask(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jean@nouvelle.fr"]
    user.refresh_from_db()
    assert user.email == "jean@ancienne.fr"


def test_following_the_link_applies_the_change_and_tells_the_old_address(client, user):
    ask(client)
    link = confirmation_link()
    page = client.get(link).content.decode()
    assert "jean@nouvelle.fr" in page and "Confirmer cette adresse" in page
    user.refresh_from_db()
    assert user.email == "jean@ancienne.fr"  # opening the link (a mail scanner may) is not confirming
    response = client.post(link, follow=True)
    assert "Votre adresse mail est désormais jean@nouvelle.fr." in response.content.decode()
    user.refresh_from_db()
    assert user.email == "jean@nouvelle.fr"
    notice = mail.outbox[1]
    assert notice.to == ["jean@ancienne.fr"] and "jean@nouvelle.fr" in notice.body


def test_the_link_works_from_another_browser(client, user):
    ask(client)
    link = confirmation_link()
    client.post(reverse("accounts:logout"))
    response = client.post(link)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.email == "jean@nouvelle.fr"


def test_the_link_serves_once(client, user):
    ask(client)
    link = confirmation_link()
    client.post(link)
    response = client.post(link)
    assert response.status_code == 400
    assert "Ce lien n'est plus valable" in response.content.decode()


@on_today
def test_the_link_expires_after_three_days(client, user, time_machine):
    request_email_change(RequestFactory().get("/"), user, "jean@nouvelle.fr")
    time_machine.shift(datetime.timedelta(days=4))
    response = client.post(confirmation_link())
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "jean@ancienne.fr"


def test_a_tampered_link_is_refused(client, user):
    ask(client)
    link = confirmation_link()
    link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]  # one character of the signature
    assert client.post(link).status_code == 400
    user.refresh_from_db()
    assert user.email == "jean@ancienne.fr"


def test_addresses_must_match(client, user):
    response = ask(client, email2="jean@autre.fr")
    page = response.content.decode()
    assert "Les deux adresses mail ne sont pas identiques." in page
    assert 'value="jean@nouvelle.fr"' in page  # nothing typed is lost
    assert mail.outbox == []


def test_current_password_is_required(client, user):
    page = ask(client, password="pas le bon").content.decode()
    assert "Mot de passe incorrect." in page
    assert mail.outbox == []


def test_an_invalid_address_gets_a_french_message(client, user):
    page = ask(client, email1="pas-une-adresse", email2="pas-une-adresse").content.decode()
    assert (
        "Saisissez une adresse mail valide, par exemple prenom.nom@organisme.fr." in page
        and "courriel" not in page
    )


@pytest.mark.parametrize(
    "profile, status",
    [
        (None, 302),
        ({"declarant": True}, 200),
        ({"partner_admin": True, "habiliter": True}, 200),
        ({"caf_agent": True}, 200),
    ],
)
def test_every_signed_in_user_may_change_their_own_mail_and_only_theirs(client, profile, status):
    UserFactory(email="autre.personne@example.fr")  # someone else: their address never shows
    if profile is not None:
        client.force_login(UserFactory(**profile))
    response = client.get(CHANGE)
    assert response.status_code == status
    assert "autre.personne@example.fr" not in response.content.decode()


def test_wrong_passwords_on_the_mail_change_form_count_towards_the_lockout(client, user):
    """An unattended session must not let anyone guess the password without limit."""
    for _ in range(10):
        page = ask(client, password="pas le bon").content.decode()
    assert "Mot de passe incorrect." in page or LOCKED_OUT in page
    assert AccessAttempt.objects.get(username="123456789").failures_since_start == 10
    response = Client().post(
        reverse("accounts:login"), {"username": "123456789", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403 and LOCKED_OUT in response.content.decode()
    assert mail.outbox == []


def test_an_address_of_another_open_user_of_the_organisme_is_refused(client, user):
    UserFactory(organisme=user.organisme, email="collegue@clos.fr")
    response = ask(client, "Collegue@clos.fr", "Collegue@clos.fr")
    page = response.content.decode()
    message = "Cette adresse mail est déjà celle d'un utilisateur ouvert de votre organisme."
    assertContains(response, message, html=True)
    assert 'value="Collegue@clos.fr"' in page and mail.outbox == []
