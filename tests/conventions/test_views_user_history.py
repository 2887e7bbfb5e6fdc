"""« Historique » of a partner user, for their administrator: who changed what and when, in French."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from conventions.services import close_membership
from tests.clock import on_today
from tests.conventions.conftest import PAGE_STATUS, PROFILES_OF_THIS_PARTNER, assert_no_foreign_names, body_of
from tests.conventions.test_views_users import VALID

pytestmark = [pytest.mark.django_db, on_today]


def history_url(convention, user):
    return reverse("conventions:user_history", args=[convention.pk, user.pk])


@pytest.mark.parametrize("profile", PROFILES_OF_THIS_PARTNER)
def test_permission_matrix(client_as, convention, member, profile):
    response = client_as(profile).get(history_url(convention, member))
    assert response.status_code == PAGE_STATUS[profile]
    if profile == "admin":
        assert_no_foreign_names(response)
    else:
        assert "DUBOIS" not in body_of(response)


def test_another_partners_user_is_a_404_even_through_my_convention(admin_client, convention, foreign_user):
    assert admin_client.get(history_url(convention, foreign_user)).status_code == 404


def test_shows_who_changed_what_with_the_field_labels(admin_client, convention, member, admin):
    data = {**VALID, "organisme": convention.organisme_id, "nom": "DUBOIS-MARTIN", "prenom": "Jean", "email": member.email,
            "email_confirmation": member.email, "date_ouverture": "2017-10-01"}  # fmt: skip
    assert (
        admin_client.post(
            reverse("conventions:user_update", args=[convention.pk, member.pk]), data
        ).status_code
        == 302
    )

    response = admin_client.get(history_url(convention, member))

    assertContains(
        response, '<h1 class="portal-title">Historique de l\'utilisateur DUBOIS-MARTIN Jean</h1>', html=True
    )
    newest = response.context["page"][0]
    assert newest.by == admin and newest.subject == "Compte"
    assert ("Nom", "DUBOIS", "DUBOIS-MARTIN") in newest.changes
    assert (
        "Poste",
        "Sédentaire (possède un poste fixe)",
        "Itinérant (poste de travail variable)",
    ) in newest.changes
    assertContains(response, "<li>Nom : DUBOIS → DUBOIS-MARTIN</li>", html=True)
    assertContains(response, "BERNARD Claire")
    assert "Création du compte" in response.content.decode()


def test_shows_the_end_of_a_membership(admin_client, convention, member, admin):
    close_membership(member.memberships.get(), by=admin)

    response = admin_client.get(history_url(convention, member))

    newest = response.context["page"][0]
    assert newest.subject == "Groupe AFAS-DEC - AFAS Déclarer"
    assert ("Date de clôture", "(vide)", "02/12/2026") in newest.changes
    assert ("Clôturée par", "(vide)", "BERNARD Claire") in newest.changes
    assert "Ajout au groupe AFAS-DEC - AFAS Déclarer" in response.content.decode()


def test_shows_no_password_hash_nor_sign_in(admin_client, convention, member):
    member.set_password("Un-autre-mot-de-passe-2026")
    member.save(update_fields=["password"])
    before = member.history.count()
    admin_client.force_login(member, backend="accounts.backends.OpenUserBackend")  # a sign-in: last_login

    assert member.history.count() == before
    page = admin_client.get(history_url(convention, member)).content.decode()
    assert "argon2" not in page and "pbkdf2" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, convention, admin, member, rows
):
    for number in range(rows):
        member.telephone = f"04 77 00 00 {number:02d}"
        member.save()
    client.force_login(admin, backend="accounts.backends.OpenUserBackend")
    # session + user, rights (groups + is admin), convention, user, the user's rows, the memberships' rows,
    # then the session's idle-timeout update; plus 2 savepoints each for the request and the session update.
    with django_assert_max_num_queries(13):
        response = client.get(history_url(convention, member))
    assert len(response.context["page"]) == min(rows + 2, 50)  # and the creation, the group
