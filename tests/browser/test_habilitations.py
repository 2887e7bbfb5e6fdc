"""Slides N°11-22 end to end: search, « Non attribué », grant two rôles, Caf validation, end one."""

import io
import re

import pytest
from django.utils import timezone

from accounts.models import User
from afas.models import Habilitation, Role
from devtools.demo import accounts as accounts_demo
from devtools.demo import conventions as conventions_demo
from devtools.demo import habilitations as habilitations_demo

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data():
    out = io.StringIO()
    conventions_demo.load(out)
    accounts_demo.load(out)
    habilitations_demo.load(out)


def submit(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_administrator_grants_roles_and_the_caf_validates_the_approbateur(page, visit, sign_in, demo_data):
    marie = User.objects.get(identifiant="567890123")
    sign_in("100000001")
    page.get_by_role("link", name="Administration des profils").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text().lower() == "habilitations d'action sociale"

    page.get_by_label("Non attribué").check()
    submit(page, "Rechercher")
    assert "Liste des services en gestion, rôles non affectés".lower() in page.content().lower()
    # Jean DUBOIS's Fr DA « global du service » covers every lieu (decision 12); once it ends, the lieu of
    # Acc Ados Assoc lacks a Fr DA.
    assert page.get_by_text("● Lieu d'implantation :").count() == 0
    # Saved, as the portal and the back-office save an habilitation: the search page kept in the shared cache
    # is drawn afresh (a QuerySet.update() would send no signal).
    for ending in Habilitation.objects.filter(
        user__identifiant="123456789", role=Role.FR_DA, activite__nom="Acc Ados Assoc", lieu=None
    ):
        ending.fin = timezone.localdate()
        ending.save()
    submit(page, "Rechercher")
    assert page.get_by_text("● Lieu d'implantation : Site (Acc Ados Assoc)").is_visible()

    # The « Non attribué » link opens the grant form with that rôle and lieu already chosen.
    page.get_by_role(
        "link",
        name="Habiliter un utilisateur au rôle de Fournisseur de données d'activité sur Site (Acc Ados Assoc)",
    ).click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_label("Site (Acc Ados Assoc)", exact=True).is_checked()
    page.get_by_label("Pour l'utilisateur ...").select_option(label="MARTIN Marie")
    assert page.get_by_label("Au rôle de ...").input_value() == "fr_da"
    page.get_by_label("Site Ecoles (Extra Assoc)", exact=True).check()
    submit(page, "Enregistrer")
    assert (
        "Habilitation(s) créée(s) pour MARTIN Marie au rôle de Fournisseur de données d'activité"
        in page.content().replace("&#x27;", "'")
    )
    assert page.get_by_label("Pour l'utilisateur ...").input_value() == str(marie.pk)

    page.get_by_label("Au rôle de ...").select_option(label="Approbateur")
    submit(page, "Afficher les activités")
    page.get_by_label("Acc Ados Assoc").check()
    page.get_by_label("Péri Assoc").check()
    submit(page, "Enregistrer et quitter")
    assert page.get_by_label("Inactif").is_checked()
    assert page.get_by_text("(*) En attente de validation par votre CAF.", exact=True).count() == 2
    page.get_by_role("button", name="Déconnexion").click()
    page.wait_for_load_state()

    sign_in("agent.loire")
    page.goto("/back-office/afas/approbateuravalider/")  # Django admin: axe-core not required there
    for row in page.locator("#result_list tbody tr").filter(has_text="MARTIN Marie").all():
        row.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("validate")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").filter(has_text="MARTIN Marie").count() == 0
    page.context.clear_cookies()

    sign_in("100000001")
    visit(f"/afas/administration-des-profils/?etat=actif&utilisateur={marie.pk}")
    assert page.locator("tr", has_text="Approbateur").filter(has_text="MARTIN Marie").count() == 2
    page.get_by_role(
        "link", name=re.compile("Supprimer l'habilitation Approbateur de MARTIN Marie sur Péri Assoc")
    ).click()
    page.wait_for_load_state()
    assert_accessible(page)
    submit(page, "Confirmer la suppression")
    assert page.get_by_label("Historique").is_checked()
    row = page.locator("tr", has_text="Approbateur").filter(has_text="MARTIN Marie")
    assert timezone.localdate().strftime("%d/%m/%Y") in row.inner_text()


def test_historique_scrolls_with_the_keyboard_on_a_narrow_screen(page, visit, sign_in, demo_data):
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10 reflow width
    sign_in("100000001")
    visit("/afas/administration-des-profils/?etat=historique")  # axe: scrollable-region-focusable
    assert page.locator("tbody tr", has_text="LEFEBVRE Marc").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


GRANT = "/afas/administration-des-profils/habiliter/"


def shoot(page, name):
    from tests.browser.test_layout import shoot as layout_shoot

    layout_shoot(page, name)


def test_grant_form_counts_the_selection_hints_a_new_search_and_moves_the_focus(
    page, visit, sign_in, demo_data
):
    sign_in("100000001")
    visit(GRANT)
    page.get_by_label("des lieux d'implantation").check()
    submit(page, "Afficher les lieux d'implantation")
    scope = page.locator("#liste-portee")
    assert page.evaluate("document.activeElement.id") == "liste-portee"  # the list that appeared
    count = scope.locator("[data-count]")
    assert count.get_attribute("aria-live") == "polite"
    assert count.inner_text() == "Aucun lieu d'implantation sélectionné"
    page.get_by_label("Site (Acc Ados Assoc)", exact=True).check()
    assert count.inner_text() == "1 lieu d'implantation sélectionné"
    page.get_by_role(
        "button", name="Sélectionner tous les lieux d'implantation de toutes les activités"
    ).click()
    total = scope.locator('input[type="checkbox"]').count()
    assert total >= 5 and count.inner_text() == f"{total} lieux d'implantation sélectionnés"

    hint = page.locator("[data-criteria-hint]")
    assert hint.inner_text() == ""
    page.get_by_label("Type d'activité").select_option(index=1)
    assert (
        hint.inner_text() == "Veuillez relancer une recherche pour prendre en compte les nouveaux critères."
    )
    assert_accessible(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"grant-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})

    submit(page, "Enregistrer")  # no user, no rôle: refused
    summary = page.get_by_role("alert").filter(has_text="L'habilitation n'est pas enregistrée")
    assert summary.is_visible() and page.evaluate("document.activeElement.id") == "erreurs"
    assert (
        page.locator("#liste-portee [data-count]").inner_text()
        == f"{total} lieux d'implantation sélectionnés"
    )


def test_escape_closes_a_choisir_menu(page, visit, sign_in, demo_data):
    sign_in("100000001")
    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    visit(f"/conventions/{convention.pk}/utilisateurs/")
    summary = page.locator("details.portal-choose summary").first
    summary.focus()
    page.keyboard.press("Enter")
    menu = page.locator("details.portal-choose").first
    assert menu.evaluate("d => d.open")
    menu.get_by_role("link").first.focus()
    page.keyboard.press("Escape")
    assert not menu.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
