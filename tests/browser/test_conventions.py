"""Slides N°4 to N°10 in a browser, signed in as the Clos des Potiers' administrator on the demo data."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from conventions import demo
from conventions.models import HabilitationGroup
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data():
    # Transactional tests flush the tables between tests, data-migration rows included.
    for code, libelle in [
        (HabilitationGroup.HABILITER, "AFAS-HAB - AFAS Habiliter"),
        (HabilitationGroup.DECLARER, "AFAS-DEC - AFAS Déclarer"),
    ]:
        HabilitationGroup.objects.update_or_create(code=code, defaults={"libelle": libelle})
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
