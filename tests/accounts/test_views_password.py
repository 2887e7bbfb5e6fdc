import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from accounts import services
from accounts.forms import LOCKED_OUT, LOGIN_FAILED
from accounts.services import confirm_email_change, send_activation_mail
from accounts.views.password import RESET_SENT
from core import mail as mail_module
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.clock import on_today

pytestmark = pytest.mark.django_db

UPDATE = reverse("accounts:password_update")
FORGOTTEN = reverse("accounts:password_forgotten")
NEW = "Une phrase de passe toute neuve"


def update(client, identifiant="100000001", old=DEFAULT_PASSWORD, new1=NEW, new2=NEW):
    return client.post(
        UPDATE,
        {"identifiant": identifiant, "old_password": old, "new_password1": new1, "new_password2": new2},
    )


@pytest.fixture
def user():
    return UserFactory(identifiant="100000001", nom="BERNARD", prenom="Claire", email="claire@example.fr")


def link_in(message):
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_password_update_works_without_being_signed_in(client, user, sign_in_post):
    response = update(client)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert sign_in_post("100000001", NEW).status_code == 302
    assert mail.outbox[0].to == ["claire@example.fr"] and "a été modifié" in mail.outbox[0].subject


def test_password_update_of_the_signed_in_user_keeps_them_signed_in(client, user):
    client.force_login(user)
    assert update(client).url == reverse("accounts:welcome")
    assert client.get(reverse("accounts:welcome")).status_code == 200


def test_wrong_current_password_is_refused_counted_and_nothing_typed_is_lost(client, user):
    response = update(client, old="pas le bon")
    page = response.content.decode()
    assert response.status_code == 200 and LOGIN_FAILED in page
    assert 'value="100000001"' in page
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert AccessAttempt.objects.get(username="100000001").failures_since_start == 1


def test_ten_failures_on_the_update_page_lock_the_identifiant(client, user, sign_in_post):
    for _ in range(10):
        update(client, old="pas le bon")
    response = update(client)
    assert response.status_code == 403 and LOCKED_OUT in response.content.decode()
    assert sign_in_post("100000001").status_code == 403


def test_closed_account_cannot_update_its_password(client):
    UserFactory(identifiant="100000001", closed=True)
    assert LOGIN_FAILED in update(client).content.decode()


def test_new_passwords_must_match(client, user):
    page = update(client, new2="Une autre phrase de passe").content.decode()
    assert "Les deux nouveaux mots de passe ne sont pas identiques." in page
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "new, message",
    [
        ("Court-42-vl", "Il doit contenir au minimum 12 caractères."),
        ("claire-bernard-2026", "Le mot de passe ne doit pas contenir votre nom ou votre prénom."),
        ("password1234", "Ce mot de passe est trop courant."),
        ("motdepasse123", "Ce mot de passe est trop évident."),
        ("Portail-Partenaire!", "Le mot de passe ne doit pas être fait des mots du service"),
        ("soleil123456", "Ce mot de passe figure dans des fuites de mots de passe connues"),
    ],
)
def test_new_password_follows_the_policy_with_a_french_message(client, user, new, message):
    page = update(client, new1=new, new2=new).content.decode()
    assert message in page
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_forgotten_password_sends_a_one_time_link_to_the_account_address(client, user):
    response = client.post(FORGOTTEN, {"identifiant": "100000001"}, follow=True)
    assert escape(RESET_SENT) in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire@example.fr"]
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert "Choisir votre mot de passe" in form_page.content.decode()
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "Ce lien n'est plus valable" in client.get(link, follow=True).content.decode()


@pytest.mark.parametrize("identifiant", ["999999999", "100000002"])
def test_forgotten_password_answers_the_same_for_unknown_or_closed_identifiants(client, identifiant):
    UserFactory(identifiant="100000002", closed=True)
    response = client.post(FORGOTTEN, {"identifiant": identifiant}, follow=True)
    assert escape(RESET_SENT) in response.content.decode()
    assert mail.outbox == []


def test_choosing_a_new_password_from_the_mail_lifts_a_lockout(client, user, sign_in_post):
    for _ in range(10):
        sign_in_post("100000001", "mauvais")
    client.post(FORGOTTEN, {"identifiant": "100000001"})
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert sign_in_post("100000001", NEW).status_code == 302


def test_activation_link_is_single_use(client, user):
    send_activation_mail(RequestFactory().get("/"), user)
    assert "100000001" in mail.outbox[0].body and DEFAULT_PASSWORD not in mail.outbox[0].body
    user.refresh_from_db()
    assert not user.has_usable_password()
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert "Ce lien n'est plus valable" in client.get(link, follow=True).content.decode()


@on_today
def test_activation_link_expires_after_three_days(client, user, time_machine):
    send_activation_mail(RequestFactory().get("/"), user)
    link = link_in(mail.outbox[0])
    time_machine.shift(datetime.timedelta(days=4))
    page = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in page and "Nouveau mot de passe" not in page


@on_today
def test_activation_link_still_works_after_two_days(client, user, time_machine):
    send_activation_mail(RequestFactory().get("/"), user)
    link = link_in(mail.outbox[0])
    time_machine.shift(datetime.timedelta(days=2))
    assert "Nouveau mot de passe" in client.get(link, follow=True).content.decode()


def test_activation_form_applies_the_policy(client, user):
    send_activation_mail(RequestFactory().get("/"), user)
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    page = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Court-42-vl", "new_password2": "Court-42-vl"}
    ).content.decode()
    assert "Il doit contenir au minimum 12 caractères." in page


def test_no_reset_link_goes_to_an_address_changed_less_than_a_day_ago(client, user, time_machine):
    """Changing the address (an administrator, a Caf agent) is no way into the account: the forgotten
    password sends nothing to the new address for a day (audit, issue 13)."""
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC))
    confirm_email_change(user, "voleur@example.fr")
    mail.outbox.clear()
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC))
    response = client.post(FORGOTTEN, {"identifiant": "100000001"}, follow=True)
    assert escape(RESET_SENT) in response.content.decode()  # the same answer
    assert mail.outbox == []
    time_machine.move_to(datetime.datetime(2026, 12, 3, 11, tzinfo=datetime.UTC))
    client.post(FORGOTTEN, {"identifiant": "100000001"})
    assert [message.to for message in mail.outbox] == [["voleur@example.fr"]]


@pytest.mark.parametrize("identifiant", ["999999999", "100000001"])
def test_forgotten_password_renders_the_mail_for_known_and_unknown_identifiants(
    client, user, identifiant, monkeypatch
):
    """The same work either way (the mail is rendered, queued only for a real account): the answer's
    delay does not tell whether an identifiant exists."""
    rendered = []
    real = services.render_mail
    monkeypatch.setattr(services, "render_mail", lambda *args: rendered.append(args[0]) or real(*args))
    monkeypatch.setattr(mail_module, "render_mail", lambda *args: rendered.append(args[0]) or real(*args))
    client.post(FORGOTTEN, {"identifiant": identifiant})
    assert rendered == ["password_reset"]
