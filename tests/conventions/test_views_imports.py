"""« Importer des utilisateurs »: the file, the preview, the confirmation, the result (rules 26–27)."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from conventions.models import UserImport
from core.file_import import MAX_UPLOAD_BYTES
from tests.conventions.conftest import BACKEND, PAGE_STATUS, PROFILES_OF_THIS_PARTNER
from tests.conventions.factories import ConventionAdministratorFactory, UserImportFactory

pytestmark = pytest.mark.django_db

HEADER = "Nom;Prénom;Mail;Téléphone;Groupe\n"


def upload(client, convention, content, name="utilisateurs.csv"):
    url = reverse("conventions:user_import_upload", args=[convention.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def field_error(response):
    return response.context["form"].errors["file"]


@pytest.mark.parametrize("profile", PROFILES_OF_THIS_PARTNER)
def test_only_the_conventions_administrator_reaches_the_import(client_as, convention, profile):
    response = client_as(profile).get(reverse("conventions:user_import_upload", args=[convention.pk]))
    assert response.status_code == PAGE_STATUS[profile]


def test_the_users_page_offers_the_import_beside_the_creation(admin_client, convention):
    response = admin_client.get(reverse("conventions:users", args=[convention.pk]))
    assertContains(
        response,
        f'<a class="btn btn-outline-primary" href="/conventions/{convention.pk}/utilisateurs/importer/">'
        "Importer des utilisateurs</a>",
        html=True,
    )


def test_the_import_page_has_a_labelled_file_field_and_the_templates(admin_client, convention):
    response = admin_client.get(reverse("conventions:user_import_upload", args=[convention.pk]))
    assertContains(response, 'for="id_file"', count=1)
    assertContains(response, "télécharger le modèle CSV")
    assertContains(response, 'enctype="multipart/form-data"')


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_holds_the_expected_titles(admin_client, convention, fmt):
    response = admin_client.get(reverse("conventions:user_import_template", args=[convention.pk, fmt]))
    assert response["Content-Disposition"] == f'attachment; filename="modele-import-utilisateurs.{fmt}"'
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").splitlines() == ["Nom;Prénom;Mail;Téléphone;Groupe"]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == ["Nom", "Prénom", "Mail", "Téléphone", "Groupe"]


def test_an_unknown_template_format_is_a_404(admin_client, convention):
    assert (
        admin_client.get(reverse("conventions:user_import_template", args=[convention.pk, "pdf"])).status_code
        == 404
    )


def test_upload_preview_confirm_and_result(admin_client, convention, admin):
    content = (
        HEADER + "Durand;Léa;lea@csdp.fr;0477123456;AFAS-DECLARER\n\nPetit;Marc;marc@csdp.fr;;\n"
    ).encode("cp1252")
    response = upload(admin_client, convention, content)
    user_import = UserImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conventions:user_import_detail", args=[convention.pk, user_import.pk]
    )

    preview = admin_client.get(response["Location"])
    assertContains(preview, "Toutes les lignes sont valides : 2 utilisateurs seront créés")
    assertContains(preview, "<td>4</td>", html=True)  # the empty line 3 is skipped, the numbers kept
    assertContains(preview, "À créer", count=2)
    assertContains(preview, "Confirmer la création de 2 utilisateurs")
    assert not User.objects.filter(email="lea@csdp.fr").exists()

    confirmed = admin_client.post(
        reverse("conventions:user_import_confirm", args=[convention.pk, user_import.pk])
    )
    assert confirmed.status_code == 302
    result = admin_client.get(confirmed["Location"])
    lea = User.objects.get(email="lea@csdp.fr")
    assertContains(result, "2 utilisateurs créés")
    assertContains(result, f"<td>{lea.identifiant}</td>", html=True)
    assert lea.prenom == "Léa" and len(mail.outbox) == 2


def test_a_refused_line_shows_why_and_nothing_can_be_confirmed(admin_client, convention):
    response = upload(
        admin_client, convention, (HEADER + "Durand;Léa;pas-une-adresse;;\nPetit;Marc;m@csdp.fr;;\n").encode()
    )
    preview = admin_client.get(response["Location"])
    assertContains(preview, "1 ligne refusée : aucun utilisateur n'est créé.")
    assertContains(preview, "Refusée — Mail :")
    assertContains(preview, "<td>2</td>", html=True)
    assert "Confirmer la création" not in preview.content.decode()
    refused = admin_client.get(response["Location"], {"refusees": "1"})
    assert [row["number"] for row in refused.context["page"]] == [2]
    user_import = UserImport.objects.get()
    admin_client.post(reverse("conventions:user_import_confirm", args=[convention.pk, user_import.pk]))
    assert not User.objects.filter(email="m@csdp.fr").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Nom;Prenom;Courriel\nDurand;Lea;l@c.fr\n",
            "Colonnes manquantes : « Mail », « Téléphone », « Groupe ».",
        ),
        (b"", "Le fichier est vide."),
        (HEADER.encode(), "Le fichier ne contient aucun utilisateur sous la ligne des titres."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Le fichier n’est ni un fichier CSV ni un classeur XLSX lisible."),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field(admin_client, convention, content, message):
    response = upload(admin_client, convention, content)
    assert response.status_code == 400
    assert any(message in error for error in field_error(response))
    assertContains(response, message, status_code=400)
    assert not UserImport.objects.exists()


@pytest.mark.parametrize("separator", [";", ","])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_semicolons_commas_and_a_bom_are_read(admin_client, convention, separator, bom):
    text = HEADER.replace(";", separator) + separator.join(["Durand", "Léa", "lea@csdp.fr", "", ""]) + "\n"
    upload(admin_client, convention, bom + text.encode())
    assert UserImport.objects.get().lines[0]["values"]["Prénom"] == "Léa"


def test_an_xlsx_file_is_imported(admin_client, convention):
    workbook = Workbook()
    workbook.active.append(["Nom", "Prénom", "Mail", "Téléphone", "Groupe"])
    workbook.active.append(["Durand", "Léa", "lea@csdp.fr", None, "AFAS-DECLARER"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(admin_client, convention, buffer.getvalue(), "utilisateurs.xlsx")
    assert UserImport.objects.get().can_be_confirmed


def test_a_file_over_50_mb_reaches_the_page_and_gets_the_french_message(admin_client, convention):
    response = upload(admin_client, convention, HEADER.encode() + b"x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 400
    assert field_error(response) == ["Le fichier dépasse la taille maximale de 50 Mo."]


def test_the_progress_page_shows_the_lines_done_and_refreshes_on_demand(admin_client, convention, admin):
    user_import = UserImportFactory(
        convention=convention, created_by=admin, status=UserImport.Status.CHECKING, total=400, done=100
    )
    url = reverse("conventions:user_import_detail", args=[convention.pk, user_import.pk])
    response = admin_client.get(url)
    assertContains(response, "js/import_progress.js")
    assertContains(
        response, '<progress id="import-progress-bar" max="400" value="100">25 %</progress>', html=True
    )
    assertContains(
        response, '<span id="import-progress-text" role="status">100 lignes sur 400 (25 %)</span>', html=True
    )
    assertContains(response, "Vérification du fichier en cours")
    assertNotContains(response, 'http-equiv="refresh"')  # no timed refresh (RGAA 13.1.2, axe meta-refresh)
    assertContains(response, f'<a href="{url}">Actualiser</a>', html=True)


def test_another_administrators_import_or_a_foreign_convention_is_a_404(
    admin_client, convention, admin, other_convention, other_admin
):
    colleague = ConventionAdministratorFactory(convention=convention, seat=2).user
    theirs = UserImportFactory(convention=convention, created_by=colleague)
    foreign = UserImportFactory(convention=other_convention, created_by=other_admin)
    for pk, import_pk in [
        (convention.pk, theirs.pk),
        (other_convention.pk, foreign.pk),
        (convention.pk, foreign.pk),
    ]:
        assert (
            admin_client.get(reverse("conventions:user_import_detail", args=[pk, import_pk])).status_code
            == 404
        )
        assert (
            admin_client.post(reverse("conventions:user_import_confirm", args=[pk, import_pk])).status_code
            == 404
        )
    theirs.refresh_from_db()
    assert theirs.status == UserImport.Status.CHECKED


@pytest.mark.parametrize("rows", [1, 50])
def test_the_preview_runs_the_same_queries_for_1_and_50_lines(
    client, django_assert_num_queries, convention, admin, rows
):
    lines = [
        {
            "number": n + 2,
            "values": {"Nom": f"N{n}", "Prénom": "P", "Mail": f"{n}@c.fr", "Téléphone": "", "Groupe": ""},
        }
        for n in range(rows)
    ]
    user_import = UserImportFactory(convention=convention, created_by=admin, lines=lines)
    client.force_login(admin, backend=BACKEND)
    url = reverse("conventions:user_import_detail", args=[convention.pk, user_import.pk])
    # session + user, rights (groups + is admin), convention, the import, then the session's idle-timeout
    # update; plus savepoints of the request and the session update.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize(
    "status, confirmed_at, message",
    [
        (UserImport.Status.CHECKING, None, "Le contrôle a été interrompu. Vous pouvez relancer l'import."),
        (
            UserImport.Status.APPLYING,
            timezone.now(),
            "L'application a été interrompue : rien n'a été enregistré. Vous pouvez relancer l'import.",
        ),
    ],
)
def test_a_step_whose_task_stopped_is_shown_interrupted_with_a_new_upload(
    admin_client, convention, admin, settings, status, confirmed_at, message
):
    stalled = UserImportFactory(
        convention=convention,
        created_by=admin,
        status=status,
        confirmed_at=confirmed_at,
        updated_at=timezone.now() - timedelta(minutes=settings.IMPORT_STALLED_AFTER_MINUTES + 1),
    )
    response = admin_client.get(reverse("conventions:user_import_detail", args=[convention.pk, stalled.pk]))
    assertContains(response, '<h1 class="portal-title">Import interrompu</h1>', html=True)
    assertContains(response, f'<div class="alert alert-danger" role="alert">{message}</div>', html=True)
    assertContains(response, f'href="{reverse("conventions:user_import_upload", args=[convention.pk])}"')
    assertNotContains(response, "data-import-progress")
    assert not User.objects.filter(email="lea.durand@exemple.fr").exists()
    call_command("cleanup", verbosity=0)  # recorded « Interrompu »: the page says the same
    stalled.refresh_from_db()
    assert stalled.status == UserImport.Status.INTERRUPTED
    again = admin_client.get(reverse("conventions:user_import_detail", args=[convention.pk, stalled.pk]))
    assertContains(again, f'<div class="alert alert-danger" role="alert">{message}</div>', html=True)
