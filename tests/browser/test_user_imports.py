"""« Importer des utilisateurs » in a browser on the demo data: a bad file, a refused line, then an import
confirmed; axe-core on the upload, progress, preview and result pages."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from conventions.models import Convention, UserImport
from devtools.demo import conventions as demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Nom;Prénom;Mail;Téléphone;Groupe\n"


@pytest.fixture
def demo_data():
    demo.load(io.StringIO())


def click(page, locator):
    locator.click()
    page.wait_for_load_state()
    assert_accessible(page)


def send(page, name, content):
    page.get_by_label("Fichier des utilisateurs (CSV ou XLSX)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    click(page, page.get_by_role("button", name="Vérifier le fichier"))


def test_administrator_imports_users_from_a_file(page, sign_in, visit, demo_data):
    sign_in("100000001")
    convention = Convention.objects.get(libelle="Centre Social le Clos des Potiers")
    visit(f"/conventions/{convention.pk}/utilisateurs/")
    click(page, page.get_by_role("link", name="Importer des utilisateurs"))
    assert page.get_by_role("heading", level=1).inner_text().upper() == "IMPORTER DES UTILISATEURS"

    send(page, "faux.csv", b"Nom;Courriel\nDurand;lea@csdp.fr\n")
    assert "Colonnes manquantes : « Prénom », « Mail », « Téléphone », « Groupe »." in page.content()

    send(page, "un-refus.csv", (HEADER + "Durand;Léa;pas-une-adresse;;\n").encode("cp1252"))
    assert page.get_by_role("heading", level=1).inner_text().upper() == "VÉRIFICATION DU FICHIER"
    assert "1 ligne refusée : aucun utilisateur n'est créé." in page.content()
    assert page.get_by_role("button", name=re.compile("Confirmer")).count() == 0

    click(page, page.get_by_role("link", name="importez-le à nouveau"))
    send(page, "bon.csv", (HEADER + "Durand;Léa;lea.durand@csdp.fr;04 77 12 34 56;AFAS-DECLARER\n").encode())
    click(page, page.get_by_role("button", name="Confirmer la création de 1 utilisateur"))
    assert page.get_by_role("heading", level=1).inner_text().upper() == "UTILISATEURS IMPORTÉS"
    lea = User.objects.get(email="lea.durand@csdp.fr")
    assert page.get_by_role("cell", name=lea.identifiant).is_visible()
    assert [message.to for message in mail.outbox] == [["lea.durand@csdp.fr"]]


def test_the_progress_page_follows_the_check_in_place_then_shows_the_preview(page, sign_in, visit, demo_data):
    sign_in("100000001")
    convention = Convention.objects.get(libelle="Centre Social le Clos des Potiers")
    running = UserImport.objects.create(
        convention=convention,
        file_name="grand.csv",
        total=10_000,
        status=UserImport.Status.CHECKING,
        created_by=User.objects.get(identifiant="100000001"),
    )
    visit(f"/conventions/{convention.pk}/utilisateurs/importer/{running.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().upper() == "VÉRIFICATION DU FICHIER EN COURS"
    assert page.get_by_label("Avancement :").is_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # JavaScript on: updated in place
    UserImport.objects.filter(pk=running.pk).update(done=5_000)
    page.locator("#import-progress-text", has_text="5\u00a0000 lignes sur 10\u00a0000 (50 %)").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Arrêter la mise à jour automatique").click()
    page.get_by_role("button", name="Reprendre la mise à jour automatique").click()
    UserImport.objects.filter(pk=running.pk).update(status=UserImport.Status.CHECKED, errors=[])
    page.get_by_role("heading", name="Vérification du fichier", exact=True).wait_for()
    assert_accessible(page)


def test_a_check_whose_task_stopped_says_so_and_leads_to_a_new_upload(page, sign_in, visit, demo_data):
    sign_in("100000001")
    convention = Convention.objects.get(libelle="Centre Social le Clos des Potiers")
    stalled = UserImport.objects.create(
        convention=convention,
        file_name="grand.csv",
        total=10_000,
        status=UserImport.Status.CHECKING,
        created_by=User.objects.get(identifiant="100000001"),
        updated_at=timezone.now() - timedelta(hours=1),
    )
    visit(f"/conventions/{convention.pk}/utilisateurs/importer/{stalled.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().upper() == "IMPORT INTERROMPU"
    assert (
        page.get_by_role("alert").inner_text()
        == "Le contrôle a été interrompu. Vous pouvez relancer l'import."
    )
    assert_accessible(page)
    click(page, page.get_by_role("link", name="Importer à nouveau le fichier « grand.csv »"))
    assert page.get_by_label(re.compile("Fichier")).is_visible()
