import pytest

from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_mes_connexions_lists_the_sessions_and_signs_out_the_other_browser(
    browser, live_server, page, sign_in
):
    UserFactory(identifiant="100000001", prenom="Claire", nom="BERNARD", declarant=True)
    other = browser.new_context(locale="fr-FR", base_url=live_server.url)
    try:
        home = other.new_page()
        home.goto("/mon-compte-partenaire/connexion/")
        home.get_by_label("Identifiant").fill("100000001")
        home.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
        home.get_by_role("button", name="Connexion").click()
        home.wait_for_load_state()

        sign_in("100000001")
        page.get_by_role("link", name="Mes connexions").click()
        page.wait_for_load_state()
        assert_accessible(page)
        assert page.get_by_role("heading", name="Mes connexions", level=1).is_visible()
        assert page.get_by_role("row").count() == 3  # the header and two sessions
        assert "Cette session" in page.content()

        page.get_by_role("button", name="Déconnecter les autres sessions").click()
        page.wait_for_load_state()
        assert_accessible(page)
        assert "L'autre session est déconnectée." in page.content()
        assert page.get_by_role("row").count() == 2

        home.goto("/mon-compte-partenaire/bienvenue/")
        assert "/connexion/" in home.url
    finally:
        other.close()
