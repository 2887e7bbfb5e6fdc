import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_partner_reaches_the_welcome_page_from_the_entrance(page, visit):
    UserFactory(identifiant="100000001", prenom="Claire", nom="BERNARD", partner_admin=True)
    visit("/")
    page.get_by_role("link", name="Mon Compte Partenaire", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Identifiant").fill("100000001")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    assert "Bienvenue Claire BERNARD dans l'espace sécurisé Mon Compte Partenaire" in page.content()
    assert "C'est votre première connexion à ce service." in page.content()


def test_breadcrumb_reads_accueil_gt_partenaires_as_in_the_deck(page, visit):
    visit("/mon-compte-partenaire/connexion/")
    trail = page.get_by_role("navigation", name="Fil d'Ariane")
    dividers = trail.locator(".breadcrumb-item + .breadcrumb-item").evaluate_all(
        "items => items.map(item => getComputedStyle(item, '::before').content)"
    )
    assert dividers and all(divider == '">"' for divider in dividers)
