import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.forms import LOCKED_OUT, LOGIN_FAILED
from accounts.middleware import IDLE_MESSAGE
from accounts.services import lift_lockout
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WELCOME = reverse("accounts:welcome")


def test_entrance_leads_to_the_sign_in_page(client):
    page = client.get("/").content.decode()
    assert "Accès direct" in page and f'href="{LOGIN}"' in page


def test_sign_in_page_has_the_deck_notices_and_links(client):
    page = client.get(LOGIN).content.decode()
    assert "loi Godfrain" in page and "Ne partagez jamais votre identifiant et votre mot de passe" in page
    assert reverse("accounts:password_update") in page and "Mettre à jour votre mot de passe" in page
    assert reverse("accounts:password_forgotten") in page


def test_sign_in_reaches_the_welcome_page_and_rotates_the_session_key(client, sign_in_post):
    UserFactory(identifiant="100000001", prenom="Claire", nom="BERNARD")
    client.get(LOGIN)
    client.session.save()
    key_before = client.session.session_key
    response = sign_in_post("100000001")
    assert response.status_code == 302 and response.url == WELCOME
    assert client.session.session_key != key_before
    page = client.get(WELCOME).content.decode()
    assert "Bienvenue Claire BERNARD dans l'espace sécurisé Mon Compte Partenaire" in page


@pytest.mark.parametrize("identifiant", ["100000001", "999999999"])
def test_wrong_password_or_unknown_identifiant_gives_the_same_message(client, sign_in_post, identifiant):
    UserFactory(identifiant="100000001")
    response = sign_in_post(identifiant, "pas le bon mot de passe")
    assert response.status_code == 200
    assert LOGIN_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_closed_account_cannot_sign_in_and_gets_the_same_message(client, sign_in_post):
    UserFactory(identifiant="100000001", closed=True)
    response = sign_in_post("100000001")
    assert response.status_code == 200 and LOGIN_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_closed_account_is_signed_out_on_its_next_request(client):
    user = UserFactory()
    client.force_login(user)
    user.date_cloture = datetime.date(2020, 1, 1)
    user.save()
    assert client.get(WELCOME).status_code == 302


@pytest.mark.parametrize("identifiant", ["100000001", "999999999"])
def test_ten_failures_lock_the_identifiant_whether_it_exists_or_not(sign_in_post, identifiant):
    UserFactory(identifiant="100000001")
    for _ in range(9):
        assert sign_in_post(identifiant, "mauvais").status_code == 200
    response = sign_in_post(identifiant, "mauvais")
    assert response.status_code == 403
    assert LOCKED_OUT in response.content.decode()
    # Even the right password is refused now, with the same message.
    response = sign_in_post(identifiant)
    assert response.status_code == 403 and LOCKED_OUT in response.content.decode()


def test_lockout_is_per_identifiant(sign_in_post):
    UserFactory(identifiant="100000001")
    UserFactory(identifiant="100000002")
    for _ in range(10):
        sign_in_post("100000001", "mauvais")
    assert sign_in_post("100000002").status_code == 302


def test_lifting_the_lockout_lets_the_user_sign_in_again(sign_in_post):
    UserFactory(identifiant="100000001")
    for _ in range(10):
        sign_in_post("100000001", "mauvais")
    assert sign_in_post("100000001").status_code == 403
    lift_lockout("100000001")
    assert sign_in_post("100000001").status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(sign_in_post):
    UserFactory(identifiant="100000001")
    for _ in range(9):
        sign_in_post("100000001", "mauvais")
    assert sign_in_post("100000001").status_code == 302
    assert not AccessAttempt.objects.filter(username="100000001").exists()


def test_sign_out_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(WELCOME).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(WELCOME).status_code == 302


def test_welcome_shows_the_previous_connection_in_paris_time(client, sign_in_post):
    # 10h11 UTC on 24/11/2017 is 11h11 in Paris (winter time).
    UserFactory(
        identifiant="100000001", last_login=datetime.datetime(2017, 11, 24, 10, 11, tzinfo=datetime.UTC)
    )
    sign_in_post("100000001")
    page = client.get(WELCOME).content.decode()
    assert "Votre dernière connexion à ce service date du 24/11/2017 à 11h11." in page


def test_welcome_says_so_on_a_first_connection(client, sign_in_post):
    UserFactory(identifiant="100000001")
    sign_in_post("100000001")
    page = client.get(WELCOME).content.decode()
    assert "C'est votre première connexion à ce service." in page
    assert "vous serez déconnecté au bout de 30 minutes sans activité" in page


def test_second_connection_shows_the_first_one(client, sign_in_post):
    user = UserFactory(identifiant="100000001")
    sign_in_post("100000001")
    client.post(reverse("accounts:logout"))
    sign_in_post("100000001")
    user.refresh_from_db()
    assert user.previous_login is not None and user.previous_login < user.last_login
    assert "Votre dernière connexion à ce service date du" in client.get(WELCOME).content.decode()


def test_welcome_requires_sign_in(client):
    response = client.get(WELCOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def _idle_for(client, seconds):
    session = client.session
    session["last_activity"] = time.time() - seconds
    session.save()


def test_thirty_minutes_idle_signs_out_and_the_sign_in_page_says_why(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 31 * 60)
    response = client.get(WELCOME, follow=True)
    assert response.redirect_chain[0] == (f"{LOGIN}?next=/mon-compte-partenaire/bienvenue/", 302)
    assert IDLE_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_thirty_minutes_keeps_the_session_and_slides_it(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 29 * 60)
    assert client.get(WELCOME).status_code == 200
    assert time.time() - client.session["last_activity"] < 60


def test_signing_in_again_after_the_idle_timeout_returns_to_the_page(client):
    user = UserFactory(declarant=True, password="Portail-Test-2026!")
    client.force_login(user)
    client.get(WELCOME)
    _idle_for(client, 31 * 60)
    response = client.get("/afas/declarations/?etat=a_saisir", follow=True)
    assert 'name="next" value="/afas/declarations/?etat=a_saisir"' in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "username": user.identifiant,
            "password": "Portail-Test-2026!",
            "next": "/afas/declarations/?etat=a_saisir",
        },
    )
    assert response.status_code == 302 and response.url == "/afas/declarations/?etat=a_saisir"


def test_a_form_sent_after_the_timeout_returns_to_the_page_of_the_form(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 31 * 60)
    response = client.post(
        "/afas/declarations/1/financier/", {}, HTTP_REFERER="http://testserver/afas/declarations/1/"
    )
    assert response.url == f"{LOGIN}?next=/afas/declarations/1/"


def test_a_foreign_referer_is_not_a_place_to_return_to(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 31 * 60)
    response = client.post("/afas/declarations/1/financier/", {}, HTTP_REFERER="https://evil.example/")
    assert response.url == LOGIN


def test_sign_out_says_you_are_signed_out(client):
    client.force_login(UserFactory())
    response = client.post("/mon-compte-partenaire/deconnexion/", follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Vous êtes déconnecté." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pages_script_signs_out_an_idle_user_and_keeps_the_page_to_return_to(client):
    client.force_login(UserFactory())
    response = client.post(
        "/mon-compte-partenaire/deconnexion/",
        {"motif": "inactivite", "next": "/afas/declarations/3/"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"{LOGIN}?next=/afas/declarations/3/"
    assert IDLE_MESSAGE in response.content.decode() and "_auth_user_id" not in client.session


def test_the_idle_sign_out_refuses_a_foreign_next(client):
    client.force_login(UserFactory())
    response = client.post(
        "/mon-compte-partenaire/deconnexion/", {"motif": "inactivite", "next": "https://evil.example/"}
    )
    assert response.url == LOGIN


def test_staying_signed_in_records_activity(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 29 * 60)
    response = client.post("/mon-compte-partenaire/session/prolonger/")
    assert response.status_code == 200 and response.json() == {"signed_in": True, "remaining": 30 * 60}
    assert time.time() - client.session["last_activity"] < 5
    _idle_for(client, 29 * 60 + 59)  # 29 minutes later: still signed in thanks to the keep-alive
    assert client.get(WELCOME).status_code == 200


def test_keep_alive_after_the_timeout_says_the_session_has_ended(client):
    client.force_login(UserFactory())
    client.get(WELCOME)
    _idle_for(client, 31 * 60)
    assert client.post("/mon-compte-partenaire/session/prolonger/").status_code == 302  # to the sign-in page
    assert client.post("/mon-compte-partenaire/session/prolonger/").status_code == 401
