from html import unescape

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory, LieuFactory
from tests.conventions.factories import OrganismeFactory

URL = reverse("afas:supervision")


@pytest.fixture
def organisme(db):
    return OrganismeFactory(raison_sociale="Centre Social le Clos des Potiers")


@pytest.fixture
def admin(organisme):
    return UserFactory(organisme=organisme, partner_admin=True, nom="BERNARD", prenom="Claire")


@pytest.fixture
def foreign_habilitation(db):
    return HabilitationFactory(user__nom="ETRANGER", activite__nom="Activité étrangère")


def test_admin_sees_the_roles_in_force_and_the_pending_ones_of_their_users(client, admin, organisme):
    activite = ActiviteFactory(organisme=organisme, nom="Péri Assoc")
    HabilitationFactory(activite=activite, user__nom="DUBOIS", user__organisme=organisme)
    HabilitationFactory(activite=activite, approbateur=True, user__nom="MARTIN", user__organisme=organisme)
    HabilitationFactory(activite=activite, ended=True, user__nom="ROUSSEAU", user__organisme=organisme)
    client.force_login(admin)
    page = unescape(client.get(URL).content.decode())
    assert "Fournisseur de données d'activité — Péri Assoc" in page
    assert "Approbateur — Péri Assoc" in page  # pending column
    assert "ROUSSEAU" in page and page.count("Péri Assoc") == 2  # the ended one is not in force


def test_each_row_shows_the_users_groups_scopes_and_status(client, admin, organisme):
    activite = ActiviteFactory(organisme=organisme, nom="Péri Assoc")
    lieu = LieuFactory(activite=activite, nom="Site <Ecoles>")
    HabilitationFactory(activite=activite, lieu=lieu, user__nom="DUBOIS", user__organisme=organisme)
    UserFactory(organisme=organisme, nom="ZOLA", prenom="Émile", closed=True)
    client.force_login(admin)
    response = client.get(URL)
    rows = {
        row.identifiant: (row.label, row.statut, row.groups, row.in_force, row.pending)
        for row in response.context["page"]
    }
    dubois = next(row for row in rows.values() if row[0].startswith("DUBOIS"))
    assert dubois[1:] == (
        "Ouvert",
        ["AFAS-DECLARER"],
        ["Fournisseur de données d'activité — Site <Ecoles> (Péri Assoc)"],
        [],
    )
    assert ("ZOLA Émile", "Fermé", [], [], []) in rows.values()
    assertContains(
        response, "<li>Fournisseur de données d&#x27;activité — Site &lt;Ecoles&gt; (Péri Assoc)</li>"
    )
    assertContains(response, "<td>ZOLA Émile</td>\n      <td>Fermé</td>\n      <td>—</td>")


def test_another_partners_users_never_appear(client, admin, foreign_habilitation):
    client.force_login(admin)
    page = unescape(client.get(URL).content.decode())
    assert "ETRANGER" not in page and "Activité étrangère" not in page


# Who may open the page (anonymous 302, declarant 403, partner administrator 200, Caf agent 403):
# tests/security/url_matrix.py, « afas:supervision ».


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_does_not_grow_with_rows(client, admin, organisme, django_assert_max_num_queries, rows):
    activite = ActiviteFactory(organisme=organisme)
    for _ in range(rows):
        HabilitationFactory(activite=activite, user__organisme=organisme)
    client.force_login(admin)
    # session, user, rights (conventions + groups), count, page of users, memberships, in force, pending,
    # menu rights, savepoints
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


def test_pages_follow_one_another_keeping_the_name_searched(client, admin, organisme):
    UserFactory.create_batch(21, organisme=organisme, nom="DURAND")
    client.force_login(admin)
    first = client.get(URL, {"nom": "durand"}).content.decode()
    assert '<nav aria-label="Pagination">' in first
    assert 'href="?nom=durand&amp;page=2">Page suivante</a>' in first
    assert "Page précédente" not in first
    second = client.get(URL, {"nom": "durand", "page": 2}).content.decode()
    assert 'href="?nom=durand&amp;page=1">Page précédente</a>' in second
    assert "Page suivante" not in second
