"""The rights are cached under the user's rights_version and the day (conventions/rights.py): a page reads
no membership nor convention once they are known, and a cached right never outlives the right."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from conventions.models import Convention
from conventions.services import close_membership
from tests.accounts.factories import UserFactory
from tests.accounts.second_factor import force_login_verified
from tests.conventions.factories import ConventionAdministratorFactory, MembershipFactory

pytestmark = pytest.mark.django_db

WELCOME = reverse("accounts:welcome")


def rights_queries(client, url=WELCOME):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in queries
        if "conventions_membership" in q["sql"] or "conventions_convention" in q["sql"]
    ]


def test_the_second_page_reads_the_rights_from_the_cache(client):
    force_login_verified(client, UserFactory(declarant=True, partner_admin=True))
    assert rights_queries(client)  # memberships and administered conventions, once
    assert rights_queries(client) == []


def test_an_ended_membership_changes_the_next_requests_menu_and_access(client):
    declarant = UserFactory(declarant=True)
    force_login_verified(client, declarant)
    assertContains(client.get(WELCOME), "Mes déclarations")
    assert client.get(reverse("afas:declarations")).status_code == 200

    close_membership(declarant.memberships.get(), by=None)

    assertNotContains(client.get(WELCOME), "Mes déclarations")
    assert client.get(reverse("afas:declarations")).status_code == 403


def test_a_new_membership_shows_at_the_next_request(client):
    user = UserFactory()
    force_login_verified(client, user)
    assertNotContains(client.get(WELCOME), "Mes déclarations")
    MembershipFactory(user=user)
    assertContains(client.get(WELCOME), "Mes déclarations")


def test_a_convention_denounced_ends_its_administrators_rights_at_the_next_request(client):
    admin = UserFactory(partner_admin=True)
    force_login_verified(client, admin)
    assertContains(client.get(WELCOME), "Consulter les conventions")
    assert client.get(reverse("conventions:organismes")).status_code == 200

    convention = Convention.objects.get(administrators__user=admin)
    convention.etat = Convention.Etat.DENONCEE
    convention.save()

    assertNotContains(client.get(WELCOME), "Consulter les conventions")
    assert client.get(reverse("conventions:organismes")).status_code == 403


def test_an_administrator_seat_ended_ends_the_rights_at_the_next_request(client):
    admin = UserFactory(partner_admin=True)
    force_login_verified(client, admin)
    assertContains(client.get(WELCOME), "Consulter les conventions")

    seat = admin.administered_conventions.get()
    seat.date_fin = seat.date_debut
    seat.save()

    assertNotContains(client.get(WELCOME), "Consulter les conventions")


def test_a_second_user_never_sees_the_first_users_cached_menu(client):
    admin = UserFactory(partner_admin=True, declarant=True)
    force_login_verified(client, admin)
    assertContains(client.get(WELCOME), "Consulter les conventions")

    client.logout()
    force_login_verified(client, UserFactory(organisme=admin.organisme))
    page = client.get(WELCOME)
    assertNotContains(page, "Consulter les conventions")
    assertNotContains(page, "Mes déclarations")


def test_saving_a_user_loaded_before_a_change_keeps_the_newer_rights_version(client):
    user = UserFactory(declarant=True)
    loaded_before = User.objects.get(pk=user.pk)
    ConventionAdministratorFactory(user=user, convention__organisme=user.organisme)
    version = User.objects.get(pk=user.pk).rights_version
    assert version > loaded_before.rights_version

    loaded_before.telephone = "04 77 00 00 00"
    loaded_before.save()  # e.g. a form that loaded the user before the seat was given

    assert User.objects.get(pk=user.pk).rights_version == version
    force_login_verified(client, user)
    assertContains(client.get(WELCOME), "Consulter les conventions")


def test_a_partner_moved_to_another_caf_reaches_its_administrators_next_request(client):
    from conventions.rights import get_rights
    from tests.conventions.factories import CafFactory

    admin = UserFactory(partner_admin=True)
    force_login_verified(client, admin)
    client.get(WELCOME)  # the rights, with the partner's Caf, now in the cache
    organisme = admin.organisme
    organisme.caf = CafFactory()
    organisme.save()

    assert get_rights(User.objects.get(pk=admin.pk)).caf_ids == {organisme.caf_id}


def test_the_conventions_pages_read_the_named_conventions_from_the_rights(client):
    admin = UserFactory(partner_admin=True)
    convention = Convention.objects.get(administrators__user=admin)
    force_login_verified(client, admin)
    for url in [reverse("conventions:list"), reverse("conventions:users", args=[convention.pk])]:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries if "conventions_conventionadministrator" in q["sql"]]


def test_a_convention_denounced_leaves_its_pages_at_the_next_request(client):
    admin = UserFactory(partner_admin=True)
    convention = Convention.objects.get(administrators__user=admin)
    valid = ConventionAdministratorFactory(user=admin, convention__organisme=admin.organisme).convention
    force_login_verified(client, admin)
    detail = reverse("conventions:users", args=[convention.pk])
    assert client.get(detail).status_code == 200
    assert detail in client.get(reverse("conventions:list")).content.decode()

    convention.etat = Convention.Etat.DENONCEE
    convention.save()

    assert client.get(detail).status_code == 404
    page = client.get(reverse("conventions:list")).content.decode()
    assert detail not in page and "Aucune : convention dénoncée" in page
    assert reverse("conventions:users", args=[valid.pk]) in page


def test_a_convention_named_anew_reaches_its_pages_at_the_next_request(client):
    admin = UserFactory(partner_admin=True)
    force_login_verified(client, admin)
    client.get(reverse("conventions:list"))
    other = ConventionAdministratorFactory(user=admin, convention__libelle="Convention nouvelle").convention
    page = client.get(reverse("conventions:list")).content.decode()
    assert "Convention nouvelle" in page
    assert f'<option value="{other.organisme_id}">' in page  # the « Partenaire » filter offers it
    assert client.get(reverse("conventions:detail", args=[other.pk])).status_code == 200
    assert other.organisme.raison_sociale in client.get(reverse("conventions:organismes")).content.decode()


def test_a_seat_ended_leaves_its_convention_at_the_next_request(client):
    admin = UserFactory(partner_admin=True)
    seat = admin.administered_conventions.get()
    ConventionAdministratorFactory(user=admin, convention__libelle="Convention gardée")
    force_login_verified(client, admin)
    detail = reverse("conventions:detail", args=[seat.convention_id])
    assert client.get(detail).status_code == 200

    seat.date_fin = seat.date_debut
    seat.save()

    assert client.get(detail).status_code == 404
    page = client.get(reverse("conventions:list")).content.decode()
    assert "Convention gardée" in page and seat.convention.libelle not in page
