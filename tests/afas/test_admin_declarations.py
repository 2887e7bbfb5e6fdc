import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from afas.models import Campaign, Declaration, FinancialData, State
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory, ReceiptFactory
from tests.conventions.factories import OrganismeFactory

from .declarations_data import activity, financial

pytestmark = pytest.mark.django_db


@pytest.fixture
def transmitted():
    return DeclarationFactory(
        activite=ActiviteFactory(nom="Péri Assoc"),
        state=State.TRANSMISE,
        values=activity(),
        financial=financial(),
    )


@pytest.fixture
def agent(transmitted):
    return UserFactory(caf_agent=True, caf=transmitted.activite.organisme.caf)


def test_agent_opens_a_campaign_for_the_activites_of_a_type(client, django_capture_on_commit_callbacks):
    approbateur = HabilitationFactory(validated=True, user__email="appro@example.fr")
    activite = approbateur.activite
    agent = UserFactory(caf_agent=True, caf=activite.organisme.caf)
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:afas_campaign_add"),
            {
                "activity_type": activite.type.pk,
                "type": "previsionnel",
                "exercice": "2026",
                "date_ouverture": "05/01/2026",
                "date_limite": "31/03/2026",
            },
            follow=True,
        )
    assert "1 déclaration(s) créée(s)" in response.content.decode()
    campaign = Campaign.objects.get()
    assert campaign.caf == activite.organisme.caf and campaign.opened_by == agent
    assert Declaration.objects.get().state == State.A_SAISIR
    assert mail.outbox[0].to == ["appro@example.fr"]
    assert "http://testserver/afas/declarations/" in mail.outbox[0].body


def test_campaign_cannot_be_opened_twice(client):
    activite = ActiviteFactory()
    client.force_login(UserFactory(caf_agent=True, caf=activite.organisme.caf))
    data = {
        "activity_type": activite.type.pk,
        "type": "reel",
        "exercice": "2025",
        "date_ouverture": "05/01/2026",
        "date_limite": "31/03/2026",
    }
    client.post(reverse("admin:afas_campaign_add"), data)
    response = client.post(reverse("admin:afas_campaign_add"), data)
    assert "déjà ouverte" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_agent_sees_only_the_declarations_of_their_caf(client, transmitted, agent):
    DeclarationFactory(activite=ActiviteFactory(nom="Extra Ailleurs"))
    client.force_login(agent)
    page = client.get(reverse("admin:afas_declaration_changelist")).content.decode()
    assert "Péri Assoc" in page and "Extra Ailleurs" not in page
    other_agent = UserFactory(caf_agent=True)
    client.force_login(other_agent)
    assert client.get(reverse("admin:afas_declaration_change", args=[transmitted.pk])).status_code == 404
    assert client.post(reverse("admin:afas_declaration_validate", args=[transmitted.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_declarations_changelist_counts_once_whatever_the_rows(
    client, transmitted, agent, rows, django_assert_max_num_queries
):
    for _index in range(rows - 1):
        DeclarationFactory(activite=ActiviteFactory(organisme=transmitted.activite.organisme))
    client.force_login(agent)
    # session, agent, 2 savepoints of ATOMIC_REQUESTS (x2), the filter's activity types, ONE count (the
    # Caf's: show_full_result_count is off, 400,000 declarations nationally), the page of rows with their
    # activité, organisme and campaign, the exercices of the filter, the session's update.
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(11):
        response = client.get(reverse("admin:afas_declaration_changelist"))
    assert response.context["cl"].result_count == rows
    assert sum("COUNT(" in query["sql"] for query in queries.captured_queries) == 1


def test_exercice_filter_offers_each_year_from_the_first_to_the_last_and_filters(client, transmitted, agent):
    earlier = DeclarationFactory(activite=transmitted.activite, exercice=transmitted.exercice - 2)
    client.force_login(agent)
    url = reverse("admin:afas_declaration_changelist")
    cl = client.get(url).context["cl"]
    (exercice,) = [spec for spec in cl.filter_specs if spec.field_path == "exercice"]
    years = [choice["display"] for choice in exercice.choices(cl)][1:]  # after « Tout »
    assert years == [str(year) for year in range(earlier.exercice, transmitted.exercice + 1)]
    assert list(client.get(url, {"exercice": earlier.exercice}).context["cl"].result_list) == [earlier]


def test_agent_validates_a_transmitted_declaration(client, transmitted, agent):
    client.force_login(agent)
    page = client.get(reverse("admin:afas_declaration_change", args=[transmitted.pk])).content.decode()
    assert "Valider" in page and "Retourner pour correction" in page and "100\u202f000,00\u00a0€" in page
    assert "50\u202f000,00\u00a0h" in page  # heures réalisées, formatted
    url = reverse("admin:afas_declaration_validate", args=[transmitted.pk])
    assert f'href="{url}"' in page
    recap = client.get(url)
    assert recap.status_code == 200
    assert "Récapitulatif" in recap.content.decode() and "Confirmer la validation" in recap.content.decode()
    transmitted.refresh_from_db()
    assert transmitted.state == State.TRANSMISE  # the recap alone validates nothing
    client.post(url)
    transmitted.refresh_from_db()
    assert transmitted.state == State.VALIDEE
    assert transmitted.state_changes.get().by == agent


def test_agent_returns_for_correction_with_a_required_comment(
    client, transmitted, agent, django_capture_on_commit_callbacks
):
    HabilitationFactory(activite=transmitted.activite, user__email="da@example.fr")
    client.force_login(agent)
    url = reverse("admin:afas_declaration_return", args=[transmitted.pk])
    assert "obligatoire" in client.post(url, {"comment": ""}).content.decode()
    transmitted.refresh_from_db()
    assert transmitted.state == State.TRANSMISE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "Compte 64 incohérent"})
    transmitted.refresh_from_db()
    assert transmitted.state == State.A_CORRIGER
    assert mail.outbox[0].to == ["da@example.fr"] and "Compte 64 incohérent" in mail.outbox[0].body


def test_validation_refused_for_a_declaration_not_transmitted(client, agent):
    declaration = DeclarationFactory(activite=ActiviteFactory(organisme__caf=agent.caf), state=State.EN_COURS)
    client.force_login(agent)
    response = client.post(reverse("admin:afas_declaration_validate", args=[declaration.pk]), follow=True)
    assert "ne peut pas passer" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.state == State.EN_COURS


def test_csv_export_of_the_filtered_list(client, transmitted, agent):
    DeclarationFactory(activite=ActiviteFactory(organisme=transmitted.activite.organisme, nom="Extra Assoc"))
    DeclarationFactory(activite=ActiviteFactory(nom="Autre Caf"), state=State.TRANSMISE)
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_export_csv"), {"state__exact": "transmise"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Caf", "Partenaire", "SIRET", "Activité"]
    assert len(rows) == 2  # only the transmitted one, only of the agent's Caf
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Activité"] == "Péri Assoc" and row["État"] == "Transmise à la Caf"
    assert row["Heures réalisées"] == "50000,00" and row["Total des charges"] == "100000,00"
    assert row["Prix de revient horaire"] == "2,00"
    assert row["Date limite"] == f"{transmitted.campaign.date_limite:%d/%m/%Y}"
    assert row["Hors délai"] == "Non"


def test_xlsx_export_has_numbers(client, transmitted, agent):
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Activité"] == "Péri Assoc" and values["Exercice"] == 2025
    assert values["Total des produits"] == 98000 and values["Résultat"] == -2000
    assert values["Prix de revient horaire"] == 2
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["Heures réalisées"].data_type == "n"  # a number, not text
    assert cells["Heures réalisées"].number_format == '#,##0.00\\ "h"'
    assert cells["Total des charges"].number_format == '#,##0.00\\ "€"'
    assert cells["Date limite"].number_format == "DD/MM/YYYY"


def test_partner_user_has_no_back_office(client, transmitted):
    client.force_login(HabilitationFactory(activite=transmitted.activite, validated=True).user)
    assert client.get(reverse("admin:afas_declaration_export_csv")).status_code == 302


def test_agent_reads_the_justified_alerts_before_validating(client, agent):
    activite = ActiviteFactory(organisme__caf=agent.caf, nom="Extra Assoc")
    DeclarationFactory(
        activite=activite, exercice=2024, state=State.VALIDEE, values=activity(), financial=financial()
    )
    declaration = DeclarationFactory(
        activite=activite,
        state=State.TRANSMISE,
        values=activity(heures_realisees_6_plus="45000"),
        financial=financial(),
    )
    declaration.activity_data.update(justifications={"heures_realisees": "Ouverture d'un second site"})
    FinancialData.objects.filter(declaration=declaration).update(
        justifications={"prix_revient_horaire": "Plus d'heures, mêmes charges"}
    )
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_validate", args=[declaration.pk]))
    page = response.content.decode()
    assert "2 alertes justifiées" in page
    assert "varie de +30,0 %" in page and "varie de −23,1 %" in page.replace("-23,1", "−23,1")
    assertContains(response, "<p><strong>Justification :</strong> Ouverture d'un second site</p>", html=True)
    assertContains(
        response, "<p><strong>Justification :</strong> Plus d'heures, mêmes charges</p>", html=True
    )
    assert "65\u202f000,00\u00a0h" in page and "50\u202f000,00\u00a0h" in page  # this one, the previous one


def test_recap_of_a_declaration_not_transmitted_sends_back_to_it(client, agent):
    declaration = DeclarationFactory(activite=ActiviteFactory(organisme__caf=agent.caf), state=State.EN_COURS)
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_validate", args=[declaration.pk]), follow=True)
    assert "ne peut pas être validée" in response.content.decode()


def test_foreign_agent_gets_no_recap(client, transmitted):
    client.force_login(UserFactory(caf_agent=True))
    assert client.get(reverse("admin:afas_declaration_validate", args=[transmitted.pk])).status_code == 404


FORMULAS = {
    '=HYPERLINK("http://evil.example/","Cliquez")': '\'=HYPERLINK("http://evil.example/","Cliquez")',
    "+33 Assoc": "'+33 Assoc",
    "-1+cmd|' /C calc'!A0": "'-1+cmd|' /C calc'!A0",
    "@SUM(1+1)": "'@SUM(1+1)",
}


@pytest.fixture
def formula_names(agent):
    """Names a partner typed that a spreadsheet would read as formulas (audit, issue 13)."""
    for name in FORMULAS:
        DeclarationFactory(
            activite=ActiviteFactory(organisme__caf=agent.caf, organisme__raison_sociale=name, nom=name),
            state=State.TRANSMISE,
            values=activity(),
            financial=financial(),
        )


def test_csv_export_neutralises_formulas(client, agent, formula_names):
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert sorted(line["Activité"] for line in lines if line["Activité"] != "Péri Assoc") == sorted(
        FORMULAS.values()
    )
    assert sorted(line["Partenaire"] for line in lines if line["Activité"] != "Péri Assoc") == sorted(
        FORMULAS.values()
    )
    assert {line["Résultat"] for line in lines} == {"-2000,00"}  # a negative number stays a number


def test_xlsx_export_stores_no_formula(client, agent, formula_names):
    client.force_login(agent)
    response = client.get(reverse("admin:afas_declaration_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    lines = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    names = sorted(line["Activité"].value for line in lines if line["Activité"].value != "Péri Assoc")
    assert names == sorted(FORMULAS.values())
    assert {line["Résultat"].value for line in lines} == {-2000}
    assert {line["Résultat"].data_type for line in lines} == {"n"}


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params", [{"inconnu": "1"}, {"exercice__exact": "deux-mille"}, {"password__startswith": "p"}]
)
def test_export_with_an_unknown_parameter_is_a_french_400(client, agent, export, params, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(agent)
    response = client.get(reverse(f"admin:afas_declaration_export_{export}"), params)
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


def test_agent_downloads_the_receipts_of_a_declaration_of_their_caf(client):
    receipt = ReceiptFactory()
    declaration = receipt.declaration
    client.force_login(UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf))
    page = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk]))
    url = reverse("admin:afas_declaration_receipt", args=[receipt.pk])
    assertContains(
        page, f'<a href="{url}">Télécharger l\'accusé de réception {receipt.reference}</a>', html=True
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_agent_of_another_caf_gets_no_receipt(client):
    receipt = ReceiptFactory()
    client.force_login(UserFactory(caf_agent=True))
    assert client.get(reverse("admin:afas_declaration_receipt", args=[receipt.pk])).status_code == 404


def test_a_declaration_never_transmitted_says_it_has_no_receipt(client, agent):
    declaration = DeclarationFactory(activite=ActiviteFactory(organisme=OrganismeFactory(caf=agent.caf)))
    client.force_login(agent)
    page = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk]))
    assertContains(page, "Aucun : la déclaration n&#x27;a pas été transmise.")
