"""The pages of the import of données d'activité (rules 23–25): upload and template, progress, preview,
confirmation and result, as a declarant sees them."""

import html
import io
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from afas.declarations import checks, imports
from afas.models import DeclarationImport, State
from tests.accounts.second_factor import force_login_verified
from tests.afas.factories import (
    ActiviteFactory,
    DeclarationFactory,
    DeclarationImportFactory,
    HabilitationFactory,
    LieuFactory,
)
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

HEADER = list(imports.COLUMNS)


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Péri Assoc")
    LieuFactory(activite=activite, nom="Site")
    LieuFactory(activite=activite, nom="Site Ecoles")
    return DeclarationFactory(activite=activite)


@pytest.fixture
def provider(client, declaration):
    user = HabilitationFactory(activite=declaration.activite).user
    force_login_verified(client, user)
    return user


def upload_url(declaration):
    return reverse("afas:declaration_import_upload", args=[declaration.campaign_id])


def lieu(declaration, nom):
    return declaration.activite.lieux.get(nom=nom)


def rows_of(declaration, values, lieu_name="Site"):
    """Lines of the file for one lieu: (code, value) pairs."""
    site = lieu(declaration, lieu_name)
    return [
        [declaration.activite.pk, declaration.activite.nom, site.pk, site.nom, code, code, value]
        for code, value in values
    ]


def csv_file(rows, separator=";", encoding="utf-8-sig", name="donnees.csv", header=HEADER):
    lines = [separator.join(header)]
    for row in rows:
        cells = [str(cell) for cell in row]
        lines.append(separator.join(f'"{cell}"' if separator in cell else cell for cell in cells))
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding), "text/csv")


def xlsx_file(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile(
        "donnees.xlsx",
        content.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, declaration, file):
    return client.post(upload_url(declaration), {"file": file})


def last_import():
    return DeclarationImport.objects.latest("pk")


def test_the_declaration_page_leads_a_fr_da_to_the_import(client, declaration, provider):
    page = client.get(reverse("afas:declaration", args=[declaration.pk]))
    assertContains(page, upload_url(declaration))


def test_a_fr_df_has_no_import(client, declaration):
    force_login_verified(client, HabilitationFactory(activite=declaration.activite, financial=True).user)
    assertNotContains(client.get(reverse("afas:declaration", args=[declaration.pk])), upload_url(declaration))
    assert client.get(upload_url(declaration)).status_code == 404


def test_the_upload_page_shows_the_columns_the_measures_and_the_templates(client, declaration, provider):
    page = client.get(upload_url(declaration))
    assertContains(page, '<h1 class="portal-title">Importer des données d\'activité</h1>', html=True)
    for column in imports.COLUMNS:
        assertContains(page, f"<td>{html.escape(column)}</td>")
    assertContains(page, "<code>heures_realisees_6_plus</code>", html=True)
    assertContains(page, reverse("afas:declaration_import_template", args=[declaration.campaign_id, "xlsx"]))
    assert page.context["form"]["file"].id_for_label == "id_file"
    assertContains(page, 'for="id_file"', count=1)


def test_the_xlsx_template_lists_the_users_lieux_and_measures_with_their_values(
    client, declaration, provider
):
    declaration.activity_data.filter(lieu__nom="Site").update(values={"capacite": "40"})
    response = client.get(reverse("afas:declaration_import_template", args=[declaration.campaign_id, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert len(rows) == 1 + 2 * 8  # two lieux, eight measures of an ALSH
    capacite = next(row for row in rows if row[3] == "Site" and row[4] == "capacite")
    assert capacite[6] == "40"


def test_the_csv_template_downloads(client, declaration, provider):
    response = client.get(reverse("afas:declaration_import_template", args=[declaration.campaign_id, "csv"]))
    assert response.status_code == 200
    text = b"".join(response).decode("utf-8-sig")
    assert "Site Ecoles" in text and "heures_facturees" in text


def test_another_format_of_template_is_404(client, declaration, provider):
    url = reverse("afas:declaration_import_template", args=[declaration.campaign_id, "pdf"])
    assert client.get(url).status_code == 404


def test_a_utf8_csv_with_bom_and_semicolons_is_previewed_then_applied(client, declaration, provider):
    rows = rows_of(declaration, [("jours_ouverture", "180"), ("heures_realisees_6_plus", "1 234,50")])
    response = upload(client, declaration, csv_file(rows))
    created = last_import()
    assert response.url == reverse(
        "afas:declaration_import_detail", args=[declaration.campaign_id, created.pk]
    )

    preview = client.get(response.url)
    assertContains(preview, "Ce qui changera (2)")
    assertContains(preview, "<td>1\u202f234,50\u00a0h</td>", html=True)
    assertContains(preview, "Confirmer l'import")
    part = declaration.activity_data.get(lieu__nom="Site")
    assert part.values == {}

    result = client.post(
        reverse("afas:declaration_import_confirm", args=[declaration.campaign_id, created.pk])
    )
    page = client.get(result.url)
    assertContains(page, "2 valeur(s) ont été enregistrées dans 1 partie(s)")
    part.refresh_from_db()
    assert part.values == {"jours_ouverture": "180", "heures_realisees_6_plus": "1234.50"}
    declaration.refresh_from_db()
    assert declaration.state == State.EN_COURS
    created.refresh_from_db()
    assert (created.status, created.created_ip) == (DeclarationImport.Status.APPLIED, "127.0.0.1")


def test_a_latin1_csv_with_commas_is_read(client, declaration, provider):
    declaration.activite.lieux.filter(nom="Site").update(nom="Site Élémentaire")
    rows = rows_of(declaration, [("heures_ouverture_jour", "10,5")], "Site Élémentaire")
    upload(client, declaration, csv_file(rows, separator=",", encoding="latin-1"))
    preview = last_import().preview
    assert preview["refused"] == []
    assert preview["parts"][0]["values"] == {"heures_ouverture_jour": "10.5"}


def test_an_xlsx_file_is_read_its_number_cells_too(client, declaration, provider):
    rows = rows_of(
        declaration, [("capacite", "40"), ("inscrits_6_plus", 31), ("heures_ouverture_jour", 10.5)]
    )
    upload(client, declaration, xlsx_file(rows))
    assert last_import().preview["parts"][0]["values"] == {
        "capacite": "40",
        "inscrits_6_plus": "31",
        "heures_ouverture_jour": "10.5",
    }


def test_a_formula_cell_of_an_xlsx_is_refused(client, declaration, provider):
    upload(client, declaration, xlsx_file(rows_of(declaration, [("capacite", "=20*2")])))
    assert last_import().preview["refused"][0]["message"].startswith("Une formule n’est pas acceptée")
    assert last_import().preview["parts"] == []


def test_empty_lines_are_ignored(client, declaration, provider):
    rows = [
        *rows_of(declaration, [("capacite", "40")]),
        [""] * 7,
        *rows_of(declaration, [("jours_ouverture", "5")]),
    ]
    upload(client, declaration, csv_file(rows))
    preview = last_import().preview
    assert preview["refused"] == []
    assert len(preview["changes"]) == 2


def test_a_formula_is_refused_with_its_line_and_column(client, declaration, provider):
    upload(
        client, declaration, csv_file(rows_of(declaration, [("capacite", "40"), ("jours_ouverture", "=1+1")]))
    )
    page = client.get(
        reverse("afas:declaration_import_detail", args=[declaration.campaign_id, last_import().pk])
    )
    assertContains(page, "Lignes refusées (1)")
    assertNotContains(page, "Confirmer l'import")
    assertContains(page, html.escape(imports.HAS_REFUSED_LINES))
    refused = last_import().preview["refused"]
    assert [(r["line"], r["column"]) for r in refused] == [(3, imports.VALEUR)]


def test_a_line_on_an_activite_outside_the_users_scopes_is_refused(client, declaration, provider):
    foreign = DeclarationFactory(campaign=declaration.campaign, activite__nom="Activité étrangère")
    rows = [[foreign.activite.pk, "", "", "", "capacite", "", "12"]]
    upload(client, declaration, csv_file(rows))
    page = client.get(
        reverse("afas:declaration_import_detail", args=[declaration.campaign_id, last_import().pk])
    )
    assertContains(
        page,
        f"<tr><td>2</td><td>Identifiant activité</td><td>{imports.UNKNOWN_ACTIVITE}</td></tr>",
        html=True,
    )
    assert foreign.activity_data.get().values == {}


def test_a_file_without_the_columns_is_refused_next_to_the_field(client, declaration, provider):
    response = upload(client, declaration, csv_file([["1", "2"]], header=["Activité", "Valeur"]))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert DeclarationImport.objects.count() == 0


def test_a_file_of_more_than_50_mb_is_refused(client, declaration, provider, settings):
    from core.file_import import MAX_UPLOAD_BYTES

    big = SimpleUploadedFile("gros.csv", b"a" * (MAX_UPLOAD_BYTES + 1), "text/csv")
    response = upload(client, declaration, big)
    assert response.status_code == 400
    assert "50" in response.context["form"].errors["file"][0]
    assert DeclarationImport.objects.count() == 0


def test_no_file_is_refused_with_a_message(client, declaration, provider):
    response = client.post(upload_url(declaration), {})
    assertContains(response, "Choisissez le fichier à importer.", status_code=400)


def test_the_progress_page_shows_the_lines_checked_and_refreshes_on_demand(client, declaration, provider):
    running = DeclarationImportFactory(
        created_by=provider, campaign=declaration.campaign, total=10000, done=500
    )
    url = reverse("afas:declaration_import_detail", args=[declaration.campaign_id, running.pk])
    page = client.get(url)
    assertContains(
        page,
        '<span id="import-progress-text" role="status">500 lignes sur 10\u00a0000 (5 %)</span>',
        html=True,
    )
    assertContains(
        page, '<progress id="import-progress-bar" max="10000" value="500">5 %</progress>', html=True
    )
    assertNotContains(page, 'http-equiv="refresh"')  # no timed refresh (RGAA 13.1.2, axe meta-refresh)
    assertContains(page, f'<a href="{url}">Actualiser</a>', html=True)
    assertContains(page, "js/import_progress.js")  # with JavaScript, updated in place


def test_another_users_import_is_404(client, declaration, provider):
    colleague = HabilitationFactory(activite=declaration.activite).user
    theirs = DeclarationImportFactory(created_by=colleague, campaign=declaration.campaign)
    url = reverse("afas:declaration_import_detail", args=[declaration.campaign_id, theirs.pk])
    assert client.get(url).status_code == 404
    confirm = reverse("afas:declaration_import_confirm", args=[declaration.campaign_id, theirs.pk])
    assert client.post(confirm).status_code == 404


def test_a_part_changed_since_the_check_refuses_the_whole_import(client, declaration, provider):
    upload(client, declaration, csv_file(rows_of(declaration, [("capacite", "40")])))
    declaration.activity_data.filter(lieu__nom="Site").update(version=3)
    created = last_import()
    client.post(reverse("afas:declaration_import_confirm", args=[declaration.campaign_id, created.pk]))
    page = client.get(reverse("afas:declaration_import_detail", args=[declaration.campaign_id, created.pk]))
    assertContains(page, "Rien n'a été importé.")
    assertContains(page, "ont été modifiées depuis le contrôle du fichier")


@pytest.mark.parametrize("lines", [1, 50])
def test_the_preview_runs_a_constant_number_of_queries(
    client, declaration, provider, lines, django_assert_max_num_queries
):
    changes = [
        {"line": n, "part": "Péri Assoc — Site", "field": "Capacité", "before": "", "after": str(n)}
        for n in range(lines)
    ]
    refused = [{"line": n, "column": imports.VALEUR, "message": checks.NOT_A_NUMBER} for n in range(lines)]
    checked = DeclarationImportFactory(
        created_by=provider,
        campaign=declaration.campaign,
        status=DeclarationImport.Status.CHECKED,
        preview={
            "changes": changes,
            "refused": refused,
            "parts": [],
            "remarks": [],
            "unchanged": 0,
            "empty": 0,
        },
    )
    url = reverse("afas:declaration_import_detail", args=[declaration.campaign_id, checked.pk])
    with django_assert_max_num_queries(12):  # session, user, rights and menu, habilitations, campaign, import
        assertContains(client.get(url), f"Lignes refusées ({lines})")


def test_a_file_announcing_utf8_with_unreadable_bytes_is_refused(client, declaration, provider):
    content = "\ufeff" + ";".join(HEADER) + "\r\n"
    broken = SimpleUploadedFile("donnees.csv", content.encode("utf-8") + b"1;\xe9t\xe9;;;capacite;;40\r\n")
    response = upload(client, declaration, broken)
    assert response.status_code == 400
    assert "annonce l’encodage UTF-8" in response.context["form"].errors["file"][0]


def test_an_old_excel_file_is_refused_with_what_to_do(client, declaration, provider):
    old = SimpleUploadedFile("donnees.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    response = upload(client, declaration, old)
    assertContains(response, "enregistrez-le au format XLSX ou CSV", status_code=400)


def test_load_demo_offers_jean_dubois_the_template_of_his_activites(client):
    from django.core.management import call_command

    from accounts.models import User
    from afas.models import Campaign

    output = io.StringIO()
    call_command("load_demo", "--force", stdout=output)
    campaign = Campaign.objects.get(caf__nom="Caf de la Loire", type="reel", exercice=2025)
    url = reverse("afas:declaration_import_template", args=[campaign.pk, "xlsx"])
    assert url in output.getvalue()
    force_login_verified(client, User.objects.get(identifiant="123456789"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url)))).active
    activites = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Péri Assoc" in activites  # « En cours de saisie »
    assert "Extra Assoc" not in activites  # « À approuver »: no longer the declarants' to enter


@pytest.mark.parametrize("count", [1, 50])
def test_the_upload_page_runs_a_constant_number_of_queries(
    client, declaration, provider, count, django_assert_max_num_queries
):
    DeclarationImportFactory.create_batch(
        count, created_by=provider, campaign=declaration.campaign, checked=True
    )
    # session, user, rights and menu, habilitations, the campaign (two), its activity type, the imports
    with django_assert_max_num_queries(13):
        page = client.get(upload_url(declaration))
    assert len(page.context["imports"]) == min(count, 10)  # the last ten


def test_a_check_whose_task_stopped_is_shown_interrupted_with_a_new_upload(client, declaration, provider):
    stalled = DeclarationImportFactory(
        created_by=provider,
        campaign=declaration.campaign,
        total=10000,
        done=500,
        updated_at=timezone.now() - timedelta(minutes=settings.IMPORT_STALLED_AFTER_MINUTES + 1),
    )
    url = reverse("afas:declaration_import_detail", args=[declaration.campaign_id, stalled.pk])
    page = client.get(url)
    assertContains(page, f"Import interrompu : {stalled.file_name}")
    assertContains(
        page,
        '<div class="alert alert-danger" role="alert">'
        "Le contrôle a été interrompu. Vous pouvez relancer l'import.</div>",
        html=True,
    )
    assertContains(page, f'href="{upload_url(declaration)}"')
    assertNotContains(page, "data-import-progress")  # no progress page polling forever
    upload_page = client.get(upload_url(declaration))
    assertContains(upload_page, "<td>Interrompu</td>", html=True)
    call_command("cleanup", verbosity=0)
    stalled.refresh_from_db()
    assert stalled.status == DeclarationImport.Status.INTERRUPTED
    assertContains(
        client.get(url),
        '<div class="alert alert-danger" role="alert">'
        "Le contrôle a été interrompu. Vous pouvez relancer l'import.</div>",
        html=True,
    )
