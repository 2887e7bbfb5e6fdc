"""Importing données d'activité from a file, as a declarant of a big partner would: the template, a file with
a mistake, the corrected file, its confirmation (rules 23–25). axe-core checks every page on the way."""

import openpyxl
import pytest

from afas.models import DeclarationImport, State
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    ActiviteFactory,
    DeclarationFactory,
    DeclarationImportFactory,
    HabilitationFactory,
)
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Acc Ados Assoc")
    jean = UserFactory(
        identifiant="123456789", prenom="Jean", nom="DUBOIS", organisme=activite.organisme, declarant=True
    )
    HabilitationFactory(user=jean, activite=activite)
    return DeclarationFactory(activite=activite, exercice=2025)


def click(page, locator):
    locator.click()
    page.wait_for_load_state()
    assert_accessible(page)


def filled_template(path, values):
    """The downloaded template with the value of some measures typed in."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        code = row[4].value
        if code in values:
            row[6].value = values[code]
    book.save(path)
    return path


def test_a_declarant_imports_a_file_corrects_it_and_confirms(page, sign_in, declaration, tmp_path):
    sign_in("123456789")
    page.goto(f"/afas/declarations/{declaration.pk}/")
    click(
        page,
        page.get_by_role("link", name="Importer les données d'activité de la campagne depuis un fichier"),
    )
    assert page.get_by_role("heading", level=1).text_content() == "Importer des données d'activité"

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le modèle (XLSX)").click()
    template = tmp_path / "modele.xlsx"
    download.value.save_as(template)

    filled_template(template, {"jours_ouverture": "400", "capacite": "40"})
    page.get_by_label("Fichier des données d'activité (CSV ou XLSX)").set_input_files(str(template))
    click(page, page.get_by_role("button", name="Contrôler le fichier"))
    assert "Lignes refusées (1)" in page.content()
    assert "Jours d'ouverture ne peut pas dépasser 366." in page.content()
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0

    click(page, page.get_by_role("link", name="Importer un autre fichier"))
    filled_template(template, {"jours_ouverture": "180", "capacite": "40"})
    page.get_by_label("Fichier des données d'activité (CSV ou XLSX)").set_input_files(str(template))
    click(page, page.get_by_role("button", name="Contrôler le fichier"))
    assert "Ce qui changera (2)" in page.content()
    click(page, page.get_by_role("button", name="Confirmer l'import"))
    assert "2 valeur(s) ont été enregistrées dans 1 partie(s)" in page.content()

    part = declaration.activity_data.get()
    assert part.values == {"jours_ouverture": "180", "capacite": "40"}
    declaration.refresh_from_db()
    assert declaration.state == State.EN_COURS


def test_the_progress_page_is_accessible(page, sign_in, visit, declaration):
    sign_in("123456789")
    running = DeclarationImportFactory(
        created_by=declaration.activite.habilitations.get().user,
        campaign=declaration.campaign,
        total=10000,
        done=2500,
    )
    visit(f"/afas/campagnes/{declaration.campaign_id}/import/{running.pk}/")
    assert page.get_by_role("status").inner_text() == "2\u00a0500 lignes sur 10\u00a0000 (25 %)"
    assert page.locator('meta[http-equiv="refresh"]').count() == 0  # JavaScript on: updated in place
    assert_accessible(page)
    DeclarationImport.objects.filter(pk=running.pk).update(done=5000)
    page.locator("#import-progress-text", has_text="5\u00a0000 lignes sur 10\u00a0000 (50 %)").wait_for(
        timeout=15_000
    )
    checked = DeclarationImportFactory.build(checked=True)
    DeclarationImport.objects.filter(pk=running.pk).update(
        status=checked.status, preview=checked.preview, done=10000
    )
    page.get_by_role("heading", level=1, name="Contrôle du fichier donnees.csv").wait_for(timeout=15_000)
    assert_accessible(page)  # the check done, the preview stops refreshing
