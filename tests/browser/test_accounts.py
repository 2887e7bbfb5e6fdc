import datetime
import re
from urllib.parse import urlparse

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from accounts.services import send_activation_mail
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.conventions.factories import CafFactory, OrganismeFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_LABEL = re.compile(r"^\s*Nouveau mot de passe")  # crispy adds the required star to the label
NEW_PASSWORD = "Trois mots au hasard et un vélo"


def path_of_link(message):
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_new_user_activates_the_account_then_signs_in_from_the_entrance(page, visit):
    user = UserFactory(identifiant="100000001", prenom="Claire", nom="BERNARD")
    send_activation_mail(RequestFactory().get("/"), user)
    visit(path_of_link(mail.outbox[0]))  # the one-time link redirects to the form
    page.get_by_label(NEW_LABEL).fill("court")
    page.get_by_label("Confirmer le nouveau mot de passe").fill("court")
    submit(page, "Valider")
    assert "Il doit contenir au minimum 12 caractères." in page.content()
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
    submit(page, "Valider")
    assert "Votre mot de passe est enregistré." in page.content()

    visit("/")
    page.get_by_role("link", name="Mon Compte Partenaire", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("100000001")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    submit(page, "Connexion")
    assert "Bienvenue Claire BERNARD dans l'espace sécurisé Mon Compte Partenaire" in page.content()
    assert page.get_by_role("link", name="Modifier mon adresse mail").is_visible()
    submit(page, "Déconnexion")
    assert page.get_by_role("heading", name="Mon Compte Partenaire", level=1).is_visible()


def test_failed_sign_in_shows_the_message_on_an_accessible_page(page, sign_in):
    sign_in("999999999", "mauvais mot de passe")
    assert "Identifiant ou mot de passe incorrect." in page.content()
    assert page.get_by_label("Identifiant").input_value() == "999999999"


def test_password_update_from_the_sign_in_page(page, visit, sign_in):
    UserFactory(identifiant="123456789", prenom="Jean", nom="DUBOIS")
    visit("/mon-compte-partenaire/connexion/")
    page.get_by_role("link", name="Mettre à jour votre mot de passe").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("123456789")
    page.get_by_label("Mot de passe actuel").fill("Portail-Demo-2026!")
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Confirmer le nouveau mot de passe").fill("autre chose encore")
    submit(page, "Mettre à jour")
    assert "Les deux nouveaux mots de passe ne sont pas identiques." in page.content()
    page.get_by_label("Mot de passe actuel").fill("Portail-Demo-2026!")
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
    submit(page, "Mettre à jour")
    assert "Votre mot de passe est mis à jour." in page.content()
    sign_in("123456789", NEW_PASSWORD)
    assert "Bienvenue Jean DUBOIS" in page.content()


def test_forgotten_password_page(page, visit):
    UserFactory(identifiant="123456789", email="jean@clos.fr")
    visit("/mon-compte-partenaire/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("123456789")
    submit(page, "Recevoir le lien")
    assert "un lien pour choisir un nouveau mot de passe" in page.content()
    assert mail.outbox[0].to == ["jean@clos.fr"]


def test_mail_change_from_the_menu(page, visit, sign_in):
    UserFactory(identifiant="123456789", prenom="Jean", nom="DUBOIS", email="jean@ancienne.fr")
    sign_in("123456789")
    page.get_by_role("link", name="Modifier mon adresse mail").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Nouvelle adresse mail")).fill("jean@nouvelle.fr")
    page.get_by_label("Confirmer la nouvelle adresse mail").fill("jean@autre.fr")
    page.get_by_label("Mot de passe actuel").fill("Portail-Demo-2026!")
    submit(page, "Valider")
    assert "Les deux adresses mail ne sont pas identiques." in page.content()
    page.get_by_label("Confirmer la nouvelle adresse mail").fill("jean@nouvelle.fr")
    page.get_by_label("Mot de passe actuel").fill("Portail-Demo-2026!")
    submit(page, "Valider")
    assert "Un lien de confirmation vient d'être envoyé à jean@nouvelle.fr" in page.content()
    visit(path_of_link(mail.outbox[0]))
    submit(page, "Confirmer cette adresse")
    assert "Votre adresse mail est désormais jean@nouvelle.fr." in page.content()
    assert User.objects.get(identifiant="123456789").email == "jean@nouvelle.fr"


def test_agent_sees_the_lockout_column_of_the_users_list_at_1280(page, live_server, client):
    """The back-office sign-in and list are Django's own: axe-core is not asked of them."""
    loire = CafFactory(nom="Caf de la Loire")
    clos = OrganismeFactory(raison_sociale="Centre Social le Clos des Potiers", caf=loire)
    UserFactory(identifiant="567890123", nom="MARTIN", prenom="Marie", organisme=clos)
    UserFactory(caf_agent=True, caf=loire, identifiant="agent.loire")
    for _ in range(10):
        client.post("/mon-compte-partenaire/connexion/", {"username": "567890123", "password": "mauvais"})
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/back-office/login/")
    page.locator("#id_username").fill("agent.loire")
    page.locator("#id_password").fill("Portail-Demo-2026!")
    page.locator("input[type=submit]").click()
    page.goto("/back-office/accounts/user/?q=567890123")
    locked = page.get_by_role("cell", name="Bloqué").bounding_box()
    results = page.locator(".results").bounding_box()
    assert locked["x"] + locked["width"] <= results["x"] + results["width"]
    page.goto("/")  # leave on a portal page, the one the fixture checks with axe-core


def test_account_opening_later_activates_then_is_told_its_opening_date(page, visit):
    """Decision 17: the activation link works before the date d'ouverture; signing in says when it opens."""
    opens_on = timezone.localdate() + datetime.timedelta(days=12)
    user = UserFactory(identifiant="100000009", prenom="Zoé", nom="MOREAU", date_ouverture=opens_on)
    send_activation_mail(RequestFactory().get("/"), user)
    visit(path_of_link(mail.outbox[0]))
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
    submit(page, "Valider")
    assert "Votre mot de passe est enregistré." in page.content()

    page.get_by_label("Identifiant").fill("100000009")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    submit(page, "Connexion")
    alert = page.get_by_role("alert").filter(has_text="Votre compte sera ouvert le")
    assert f"Votre compte sera ouvert le {opens_on:%d/%m/%Y}" in alert.inner_text()
    assert "mot de passe incorrect" not in page.content()
    assert not AccessAttempt.objects.filter(username="100000009").exists()
