import re

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


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(v)) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first, second):
    light, dark = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_keyboard_focus_is_visible_on_white_and_on_the_blue_header(page, visit):
    """RGAA 10.7 / WCAG 1.4.11: a focus indicator with at least 3:1 against what surrounds it."""
    visit("/mon-compte-partenaire/connexion/")
    colours = {}
    for name, selector in [("white", "main a"), ("header", "header a")]:
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus from the keyboard, so that :focus-visible applies
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineColor, s.boxShadow, getComputedStyle(document.activeElement.parentElement).backgroundColor]; }"
        )
        colours[name] = [re.findall(r"\d+", c)[:3] for c in style]
    white = ["255", "255", "255"]
    outline, ring, _ = colours["white"]
    assert max(_contrast(outline, white), _contrast(ring, white)) >= 3
    outline, ring, _ = colours["header"]
    assert max(_contrast(outline, ["0", "75", "135"]), _contrast(ring, ["0", "75", "135"])) >= 3
