"""Slides N°4 to N°10 in a browser, signed in as the Clos des Potiers' administrator on the demo data."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from conventions.models import HabilitationGroup
from devtools.demo import conventions as demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data():
    demo.load(io.StringIO())


def click(page, locator):
    locator.click()
    page.wait_for_load_state()
    assert_accessible(page)


def menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def filter_users(page, nom):
    page.locator("#id_nom").fill(nom)
    click(page, page.get_by_role("button", name="Rechercher"))


def test_administrator_follows_slides_4_to_10(page, sign_in, demo_data):
    sign_in("100000001")

    # N°4-5: « Consulter les conventions », then « Choisir… » → « Utilisateurs ».
    click(page, menu(page).get_by_role("link", name="Consulter les conventions"))
    assert page.get_by_role("cell", name="Centre Social le Clos des Potiers").first.is_visible()
    page.locator("summary", has_text="Choisir…").click()
    assert_accessible(page)
    click(page, page.get_by_role("link", name=re.compile("^Utilisateurs")))
    assert page.get_by_role("heading", level=1).inner_text().upper() == "LISTE DES UTILISATEURS"
    assert "(1 of 2)" in page.content()

    # N°7: « Créer un utilisateur partenaire »; a mistake first, then « Valider ».
    click(page, page.get_by_role("link", name="Créer un utilisateur partenaire"))
    page.locator("#id_nom").fill("DURAND")
    page.locator("#id_prenom").fill("Léa")
    page.locator("#id_email").fill("lea.durand@csdp.fr")
    page.locator("#id_email_confirmation").fill("lea.durant@csdp.fr")
    page.locator("#id_telephone").fill("0477123456")
    page.locator("#id_telephone_confirmation").fill("04 77 12 34 56")
    page.get_by_label("Itinérant (poste de travail variable)").check()
    click(page, page.get_by_role("button", name="Valider"))
    assert "Les deux adresses mail saisies ne correspondent pas." in page.content()
    assert page.locator("#id_prenom").input_value() == "Léa"
    page.locator("#id_email_confirmation").fill("lea.durand@csdp.fr")
    click(page, page.get_by_role("button", name="Valider"))
    created = User.objects.get(nom="DURAND")
    assert f"identifiant {created.identifiant}" in page.content()
    assert mail.outbox[-1].to == ["lea.durand@csdp.fr"] and created.identifiant in mail.outbox[-1].body

    # N°8: the new user in the list (filters), and the second page.
    filter_users(page, "durand")
    assert page.get_by_role("cell", name=created.identifiant).is_visible()
    assert page.get_by_role("cell", name="04 77 12 34 56").is_visible()
    click(page, page.get_by_role("link", name="Réinitialiser"))
    click(page, page.get_by_role("link", name="Page suivante"))
    assert "(2 of 2)" in page.content()

    # N°8-10: an existing user « Ajouter à un groupe » → « AFAS-DEC - AFAS Déclarer » → « Ajouter au groupe ».
    filter_users(page, "ROUSSEAU")
    page.locator("summary", has_text="Choisir…").click()
    click(page, page.get_by_role("link", name=re.compile("^Ajouter à un groupe")))
    assert page.locator("#id_user option:checked").inner_text() == "ROUSSEAU Paul"
    page.locator("#id_group").select_option(label="AFAS-DEC - AFAS Déclarer")
    page.locator("#id_date_ouverture").fill(timezone.localdate().isoformat())
    click(page, page.get_by_role("button", name="Ajouter au groupe"))
    assert "ROUSSEAU Paul est ajouté au groupe « AFAS-DEC - AFAS Déclarer »" in page.content()
    rousseau = User.objects.get(identifiant="345678901")
    assert rousseau.memberships.get().group.code == HabilitationGroup.DECLARER

    # « Supprimer » a user: confirmation, then statut « Fermé » and no more group.
    click(page, menu(page).get_by_role("link", name="Consulter les conventions"))
    page.locator("summary", has_text="Choisir…").click()
    click(page, page.get_by_role("link", name=re.compile("^Utilisateurs")))
    filter_users(page, "ROUSSEAU")
    click(page, page.get_by_role("link", name=re.compile("^Supprimer")))
    click(page, page.get_by_role("button", name="Confirmer la suppression"))
    filter_users(page, "ROUSSEAU")
    assert page.get_by_role("cell", name="Fermé").is_visible()
    rousseau.refresh_from_db()
    assert rousseau.date_cloture == timezone.localdate()
    assert rousseau.memberships.get().date_cloture == timezone.localdate()


def test_groups_page_and_detail_are_accessible(page, sign_in, visit, demo_data):
    sign_in("100000001")
    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    visit(f"/conventions/{convention.pk}/")
    visit(f"/conventions/{convention.pk}/groupes/")
    assert "Anciens membres" in page.content()
    click(page, page.get_by_role("link", name=re.compile("^Clôturer l'appartenance de DUBOIS Jean")))
    click(page, page.get_by_role("button", name="Clôturer"))
    assert "DUBOIS Jean ne fait plus partie du groupe" in page.content()
    visit("/conventions/organismes/")
    visit("/conventions/types-organismes/")


FITS_THE_WINDOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [1280, 390])
def test_convention_pages_fit_the_window(page, sign_in, visit, demo_data, width):
    """No page scrolls sideways: a table wider than the window scrolls inside its own box."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("100000001")
    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    paths = ["", f"{convention.pk}/", f"{convention.pk}/utilisateurs/", f"{convention.pk}/groupes/"]
    # A table with no link in it (no match, a list of names) must still be reachable from the keyboard.
    paths += [f"{convention.pk}/utilisateurs/?nom=personne", "organismes/", "types-organismes/"]
    for path in paths:
        visit(f"/conventions/{path}")
        assert page.evaluate(FITS_THE_WINDOW), f"/conventions/{path} déborde à {width}px"


def test_users_list_shows_autres_actions_without_scrolling_at_1280(page, sign_in, visit, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("100000001")
    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    visit(f"/conventions/{convention.pk}/utilisateurs/")
    box = page.locator("summary", has_text="Choisir…").first.bounding_box()
    wrap = page.locator(".portal-table-wrap").bounding_box()
    assert box["x"] + box["width"] <= wrap["x"] + wrap["width"]
    assert page.evaluate(
        "() => { const w = document.querySelector('.portal-table-wrap'); return w.scrollWidth <= w.clientWidth; }"
    )


def test_back_office_administrators_inline_is_read_only_and_accessible(page, visit, demo_data):
    """Issue 9, item 7: the inline has no field to change (so no unlabelled input); the way to change an
    administrator is « Changement d'administrateur MCP »."""
    from tests.accounts.factories import UserFactory

    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    UserFactory(caf_agent=True, caf=convention.caf, identifiant="agent.test")
    page.goto("/back-office/login/")  # the back-office sign-in page itself is another engineer's slice
    page.get_by_label("Identifiant").fill("agent.test")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    visit(f"/back-office/conventions/convention/{convention.pk}/change/")
    inline = page.locator("#administrators-group")
    assert "BERNARD Claire" in inline.inner_text()
    assert inline.locator("input:not([type=hidden]), select").count() == 0
    click(page, page.get_by_role("link", name="Changement d'administrateur MCP"))
    assert page.get_by_label("Nouvel administrateur").is_visible()


def test_an_ended_convention_is_listed_without_its_actions(page, sign_in, visit, demo_data):
    from conventions.models import Convention, ConventionAdministrator

    claire = User.objects.get(identifiant="100000001")
    current = claire.administered_conventions.get().convention
    ended = Convention.objects.create(
        libelle="Convention 2014 du Clos",
        caf=current.caf,
        organisme=current.organisme,
        date_ouverture=timezone.localdate().replace(year=2014),
        etat=Convention.Etat.DENONCEE,
    )
    ConventionAdministrator.objects.create(convention=ended, user=claire, date_debut=ended.date_ouverture)
    sign_in("100000001")
    visit("/conventions/")
    row = page.get_by_role("row", name=re.compile("Convention 2014 du Clos"))
    assert "Aucune : convention dénoncée" in row.inner_text() and row.locator("summary").count() == 0


def test_user_history_is_reached_from_the_list_and_accessible(page, sign_in, visit, demo_data):
    dubois = User.objects.get(nom="DUBOIS", prenom="Jean")
    dubois.telephone = "04 77 99 99 99"
    dubois.save()
    sign_in("100000001")
    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    visit(f"/conventions/{convention.pk}/utilisateurs/")
    filter_users(page, "DUBOIS")
    page.locator("summary", has_text="Choisir…").first.click()
    click(page, page.get_by_role("link", name=re.compile("^Historique")))
    assert (
        page.get_by_role("heading", level=1).inner_text().upper() == "HISTORIQUE DE L'UTILISATEUR DUBOIS JEAN"
    )
    assert "→ 04 77 99 99 99" in page.content() and "Création du compte" in page.content()
    assert page.evaluate(FITS_THE_WINDOW)


def test_back_office_history_is_accessible(page, visit, demo_data):
    from tests.accounts.factories import UserFactory

    convention = User.objects.get(identifiant="100000001").administered_conventions.get().convention
    UserFactory(caf_agent=True, caf=convention.caf, identifiant="agent.test")
    page.goto("/back-office/login/")
    page.get_by_label("Identifiant").fill("agent.test")
    page.get_by_label("Mot de passe").fill("Portail-Demo-2026!")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    visit(f"/back-office/conventions/convention/{convention.pk}/change/")
    click(page, page.get_by_role("link", name="Historique"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Historique : {convention}"
    assert page.get_by_role("cell", name="Création").first.is_visible()
