import datetime
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from conventions import edp
from conventions.models import Convention, HabilitationGroup
from tests.accounts.factories import UserFactory
from tests.conventions.conftest import (
    PAGE_STATUS,
    PROFILES_OF_THIS_PARTNER,
    body_of,
)
from tests.conventions.factories import (
    ConventionAdministratorFactory,
    ConventionFactory,
    MembershipFactory,
    OrganismeFactory,
    PartnerTypeFactory,
)

pytestmark = pytest.mark.django_db

# The menu pages (list, organismes, partner_types: every partner administrator, each seeing only their own
# rows) are tried for every profile by tests/security/url_matrix.py.


@pytest.mark.parametrize("profile", PROFILES_OF_THIS_PARTNER)
@pytest.mark.parametrize("url_name", ["conventions:detail", "conventions:edp"])
def test_convention_pages_permission_matrix(client_as, convention, profile, url_name):
    response = client_as(profile).get(reverse(url_name, args=[convention.pk]))
    assert response.status_code == PAGE_STATUS[profile]
    if profile != "admin":
        assert "DUBOIS" not in body_of(response)


def test_anonymous_is_sent_to_the_sign_in_page(client, convention):
    response = client.get(reverse("conventions:list"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_shows_the_deck_columns_and_the_choose_menu_without_javascript(admin_client, convention):
    response = admin_client.get(reverse("conventions:list"))
    page = response.content.decode()
    for header in [
        "Libellé",
        "CAF pivot",
        "Partenaire",
        "Date d'ouverture",
        "Date de clôture",
        "Statut",
        "État",
    ]:
        assertContains(response, f'<th scope="col">{header}</th>', html=True)
    assert "24/02/2016" in page and "Ouvert" in page and "Valable" in page
    assert "<summary>Choisir…" in page
    for name, url_name in [
        ("Détail de la convention", "conventions:detail"),
        ("Télécharger EDP", "conventions:edp"),
        ("Groupes", "conventions:groups"),
        ("Utilisateurs", "conventions:users"),
    ]:
        assert f'href="{reverse(url_name, args=[convention.pk])}"' in page and name in page


@pytest.fixture
def two_conventions(admin, convention):
    other = ConventionFactory(
        libelle="Halte-garderie des Potiers",
        organisme=OrganismeFactory(
            raison_sociale="Potiers Petite Enfance", type=PartnerTypeFactory(libelle="Commune")
        ),
        date_cloture=datetime.date(2022, 1, 1),
        etat=Convention.Etat.DENONCEE,
    )
    ConventionAdministratorFactory(convention=other, user=admin)
    return other


@pytest.mark.parametrize(
    "query",
    [
        {"libelle": "halte"},
        {"type": "commune"},
        {"statut": "ferme"},
        {"organisme": "other"},
        {"etat": Convention.Etat.DENONCEE},
    ],
)
def test_each_filter_keeps_only_matching_conventions(admin_client, convention, two_conventions, query):
    if "type" in query:
        query = {"type": two_conventions.organisme.type_id}
    if "organisme" in query:
        query = {"organisme": two_conventions.organisme_id}
    response = admin_client.get(reverse("conventions:list"), query)
    assert "Halte-garderie des Potiers" in response.content.decode()
    assertNotContains(response, "<td>Centre Social le Clos des Potiers</td>", html=True)


def test_partner_filter_offers_only_administered_partners(admin_client, convention, other_convention):
    page = admin_client.get(reverse("conventions:list")).content.decode()
    assert "COMMUNE DE MARTIGUES" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    admin = UserFactory()
    for _ in range(rows):
        ConventionAdministratorFactory(user=admin, convention__organisme=admin.organisme)
    client.force_login(admin, backend="accounts.backends.OpenUserBackend")
    # session + user, rights (groups + is admin), conventions, partner type and partner choices, then the
    # session's idle-timeout update; plus 2 savepoints each for the request and the session update.
    with django_assert_num_queries(12):
        response = client.get(reverse("conventions:list"))
    assert len(response.context["conventions"]) == rows


def test_organismes_lists_only_the_administered_partner(admin_client, convention, other_convention):
    page = admin_client.get(reverse("conventions:organismes")).content.decode()
    assert convention.organisme.siret in page
    assert other_convention.organisme.siret not in page


def test_detail_shows_parties_dates_and_administrators(admin_client, convention, admin):
    page = admin_client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    for text in ["Caf de la Loire", convention.organisme.siret, "24/02/2016", "BERNARD Claire", "Valable"]:
        assert text in page


def _pdf_text(content):
    """The strings shown by an uncompressed PDF (WinAnsi octal escapes such as \\351 decoded)."""
    shown = [m.decode("latin-1") for m in re.findall(rb"\((.*?)\) Tj", content)]
    text = " ".join(shown)
    return re.sub(r"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]).decode("cp1252"), text)


def test_edp_downloads_a_pdf(admin_client, convention):
    response = admin_client.get(reverse("conventions:edp", args=[convention.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-10:]
    assert "no-store" in response["Cache-Control"]  # never kept on a shared computer


def test_edp_contains_parties_administrators_and_members(admin_client, convention, member, monkeypatch):
    MembershipFactory(user=member, habiliter=True, date_ouverture=datetime.date(2019, 1, 1))
    monkeypatch.setattr(edp, "PAGE_COMPRESSION", 0)
    content = admin_client.get(reverse("conventions:edp", args=[convention.pk])).content
    text = _pdf_text(content)
    for expected in [
        "Centre Social le Clos des Potiers",
        "Caf de la Loire",
        convention.organisme.siret,
        "24/02/2016",
        "BERNARD Claire",
        "AFAS-DEC - AFAS Déclarer",
        "AFAS-HAB - AFAS Habiliter",
        "DUBOIS",
    ]:
        assert expected in text, expected


def test_detail_counts_the_current_and_upcoming_members_of_each_group(admin_client, convention, member):
    MembershipFactory(user=member, habiliter=True, closed=True)  # ended: not counted
    upcoming = UserFactory(organisme=convention.organisme, nom="MARTIN")
    MembershipFactory(user=upcoming, habiliter=True, date_ouverture=datetime.date.today().replace(year=2099))
    page = admin_client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    # Counted as the groups page lists them: the member's ended membership among the past ones only.
    groups = admin_client.get(reverse("conventions:groups", args=[convention.pk])).context["groups"]
    counts = {group.code: len(current) for group, current, _past in groups}
    assert counts[HabilitationGroup.HABILITER] == 1 and counts[HabilitationGroup.DECLARER] >= 1
    for group, current, _past in groups:
        count = len(current)
        assert f"<li>{group.libelle} : {count} membre{'s' if count > 1 else ''} actuel" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, convention, admin, rows
):
    for user in UserFactory.create_batch(rows, organisme=convention.organisme, declarant=True):
        ConventionAdministratorFactory(user=user, convention=convention, date_fin=datetime.date(2020, 1, 1))
    client.force_login(admin, backend="accounts.backends.OpenUserBackend")
    # session + user, rights (groups + is admin), convention, seats with their users (only the columns
    # shown: no query per row), members counted per group, groups, then the session's idle-timeout update;
    # plus 2 savepoints each for the request and the session update.
    with django_assert_num_queries(13):
        response = client.get(reverse("conventions:detail", args=[convention.pk]))
    assert len(response.context["administrators"]) == rows + 1
