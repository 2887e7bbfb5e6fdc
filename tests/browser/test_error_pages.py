import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_unknown_address_shows_the_french_404_page(page, visit):
    response = visit("/mon-compte-partenaire/page-disparue/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1, name="Page introuvable").is_visible()
    page.get_by_role("link", name="Retour à l'accueil").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.url.endswith("/")


def test_expired_form_shows_the_french_refusal_page(page, visit):
    visit("/mon-compte-partenaire/connexion/")
    page.context.clear_cookies()  # the CSRF cookie is gone, as after a long pause or a closed browser
    page.get_by_label("Identifiant").fill("123456789")
    page.get_by_label("Mot de passe").fill("un mot de passe")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("heading", level=1, name="Demande refusée").is_visible()
