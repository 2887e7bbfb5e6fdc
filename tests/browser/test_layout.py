"""Items 16-18 of issue 9 in a browser: the « Menu » toggle at phone width, the footer, long words wrapping
in tables. Screenshots go to /tmp/shots-ui/ when that folder exists."""

import io
from pathlib import Path

import pytest

from accounts.models import User
from devtools.demo import conventions as demo
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/shots-ui")


@pytest.fixture
def demo_data():
    demo.load(io.StringIO())


def shoot(page, name):
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_phone_width_folds_the_menu_behind_a_menu_button(page, sign_in, visit, demo_data):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("100000001")
    visit("/afas/accueil/")
    toggle = page.get_by_role("button", name="Menu", exact=True)
    menu = page.get_by_role("navigation", name="Menu principal")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    # The page's own title is on the first screen, not 600 px of menu below it.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 400
    shoot(page, "afas-home-390-menu-closed")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert menu.get_by_role("link", name="Statistiques").is_visible()
    assert_accessible(page)
    shoot(page, "afas-home-390-menu-open")
    menu.get_by_role("link", name="Mes déclarations").focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "menu-principal"


def test_wide_screen_shows_the_menu_without_a_button(page, sign_in, visit, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("100000001")
    visit("/afas/accueil/")
    assert page.get_by_role("navigation", name="Menu principal").is_visible()
    assert not page.get_by_role("button", name="Menu", exact=True).is_visible()
    shoot(page, "afas-home-1280")


def test_without_javascript_the_menu_stays_open(browser, live_server, demo_data):
    context = browser.new_context(
        locale="fr-FR",
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.goto("/mon-compte-partenaire/connexion/")
    page.get_by_label("Identifiant").fill("100000001")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    assert page.get_by_role("navigation", name="Menu principal").is_visible()
    assert not page.get_by_role("button", name="Menu", exact=True).is_visible()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_footer_pages_are_accessible(page, visit, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path, name in [
        ("/informations/accessibilite/", "accessibilite"),
        ("/informations/mentions-legales/", "mentions-legales"),
        ("/informations/donnees-personnelles/", "donnees-personnelles"),
        ("/informations/regles-d-usage/", "regles-d-usage"),
    ]:
        visit(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        shoot(page, f"{name}-{width}")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Accessibilité : partiellement conforme").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "DÉCLARATION D'ACCESSIBILITÉ" or (
        "Déclaration d'accessibilité" in page.get_by_role("heading", level=1).inner_text()
    )


def test_a_long_name_wraps_inside_its_cell(page, sign_in, visit, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    admin = User.objects.get(identifiant="100000001")
    convention = admin.administered_conventions.get().convention
    UserFactory(
        organisme=convention.organisme,
        nom="VANDERMEERSCHBRUGGENHOUTKERKEMELISSANDRE",
        prenom="Marie-Amélie-Bérangère-Joséphine",
    )
    sign_in("100000001")
    visit(f"/conventions/{convention.pk}/utilisateurs/?nom=VANDERMEERSCH")
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('td')].filter(td => td.scrollWidth > td.clientWidth + 1).length"
    )
    assert overflowing == 0
    # … while short words and dates stay whole: « 01/10/2017 », « Ouvert », « Identifiant » on one line.
    lines = page.evaluate(
        """() => [...document.querySelectorAll('tbody td:nth-child(1), tbody td:nth-child(6), tbody td:nth-child(8)')]
        .map(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; })"""
    )
    assert lines and set(lines) == {1}
    assert page.evaluate(
        "() => { const w = document.querySelector('.portal-table-wrap'); return w.scrollWidth <= w.clientWidth; }"
    )
    shoot(page, "users-long-name-1280")
