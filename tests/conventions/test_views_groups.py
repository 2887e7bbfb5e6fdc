import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from conventions.models import HabilitationGroup
from tests.accounts.factories import UserFactory
from tests.conventions.conftest import PAGE_STATUS, PROFILES_OF_THIS_PARTNER, assert_no_foreign_names, body_of
from tests.conventions.factories import MembershipFactory, group

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(member):
    return member.memberships.get()


@pytest.mark.parametrize("profile", PROFILES_OF_THIS_PARTNER)
@pytest.mark.parametrize(
    "url_name", ["conventions:groups", "conventions:group_add_user", "conventions:membership_close"]
)
def test_permission_matrix(client_as, convention, membership, profile, url_name):
    args = [convention.pk, membership.pk] if url_name == "conventions:membership_close" else [convention.pk]
    response = client_as(profile).get(reverse(url_name, args=args))
    assert response.status_code == PAGE_STATUS[profile]
    if profile == "admin":
        assert_no_foreign_names(response)
    else:
        assert "DUBOIS" not in body_of(response)


def test_another_partners_membership_is_a_404(admin_client, convention, foreign_user):
    foreign = foreign_user.memberships.get()
    url = reverse("conventions:membership_close", args=[convention.pk, foreign.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.date_cloture is None


def test_groups_page_lists_current_and_past_members(admin_client, convention, member):
    former = UserFactory(organisme=convention.organisme, nom="ANCIEN")
    MembershipFactory(user=former, closed=True)
    page = admin_client.get(reverse("conventions:groups", args=[convention.pk])).content.decode()
    declarer, habiliter = page.index("AFAS-DEC - AFAS Déclarer"), page.index("AFAS-HAB - AFAS Habiliter")
    section = page[declarer:habiliter]
    assert "Membres actuels" in section and "Anciens membres" in section
    assert (
        section.index("<td>DUBOIS</td>") < section.index("Anciens membres") < section.index("<td>ANCIEN</td>")
    )
    assert "01/01/2021" in section


@pytest.mark.parametrize("rows", [1, 50])
def test_groups_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, convention, admin, rows
):
    for user in UserFactory.create_batch(rows, organisme=convention.organisme, declarant=True):
        MembershipFactory(user=user, closed=True, date_ouverture=datetime.date(2018, 1, 1), closed_by=admin)
    client.force_login(admin, backend="accounts.backends.OpenUserBackend")
    # session + user, rights (groups + is admin), convention, memberships with their users and who closed
    # them (only the columns shown: no query per row), groups, then the
    # session's idle-timeout update; plus 2 savepoints each for the request and the session update.
    with django_assert_num_queries(12):
        client.get(reverse("conventions:groups", args=[convention.pk]))


def test_close_membership_asks_then_ends_it_today(admin_client, convention, membership, admin):
    url = reverse("conventions:membership_close", args=[convention.pk, membership.pk])
    assert "Voulez-vous vraiment retirer" in admin_client.get(url).content.decode()
    response = admin_client.post(url, follow=True)
    membership.refresh_from_db()
    assert (membership.date_cloture, membership.closed_by) == (timezone.localdate(), admin)
    assert "ne fait plus partie du groupe" in response.content.decode()


def test_add_form_preselects_the_user_and_offers_the_deck_choices(admin_client, convention, member):
    url = reverse("conventions:group_add_user", args=[convention.pk])
    response = admin_client.get(url, {"utilisateur": member.pk})
    page = response.content.decode()
    assertContains(response, f'<option value="{member.pk}" selected>DUBOIS Jean</option>', html=True)
    assert "(Choisir un groupe existant)" in page and "AFAS-DEC - AFAS Déclarer" in page
    assert ">Ajouter au groupe</button>" in page and ">Annuler</a>" in page


def test_add_to_group_creates_the_membership(admin_client, convention, admin):
    newcomer = UserFactory(organisme=convention.organisme, nom="NOUVEAU")
    declarer = group(HabilitationGroup.DECLARER)
    response = admin_client.post(
        reverse("conventions:group_add_user", args=[convention.pk]),
        {
            "organisme": convention.organisme_id,
            "user": newcomer.pk,
            "group": declarer.pk,
            "date_ouverture": "24/11/2017",
        },
    )
    assert response.status_code == 302
    membership = newcomer.memberships.get()
    assert (membership.group, membership.date_ouverture, membership.created_by) == (
        declarer,
        datetime.date(2017, 11, 24),
        admin,
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_ouverture": "2020-06-01"}, "group", "est déjà membre du groupe « AFAS-DEC - AFAS Déclarer »"),
        (
            {"date_cloture": "2019-12-31"},
            "date_cloture",
            "La date de clôture doit être postérieure à la date d'ouverture",
        ),
        ({"date_ouverture": ""}, "date_ouverture", "Ce champ est obligatoire."),
        ({"group": ""}, "group", "Ce champ est obligatoire."),
    ],
)
def test_add_to_group_refuses_at_the_field(admin_client, convention, membership, changes, field, message):
    data = {
        "organisme": convention.organisme_id,
        "user": membership.user_id,
        "group": membership.group_id,
        "date_ouverture": "2020-01-01",
        "date_cloture": "",
    }
    response = admin_client.post(
        reverse("conventions:group_add_user", args=[convention.pk]), {**data, **changes}
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert membership.user.memberships.count() == 1


def test_add_to_group_offers_only_open_users_of_the_organisme(admin_client, convention, foreign_user):
    UserFactory(organisme=convention.organisme, nom="PARTI", closed=True)
    page = admin_client.get(reverse("conventions:group_add_user", args=[convention.pk])).content.decode()
    assert "PARTI" not in page and "STEED" not in page


def test_an_administrator_cannot_add_themself_to_afas_habiliter(admin_client, convention, admin):
    """Who grants the right to habilitate is not who receives it (audit, issue 13)."""
    response = admin_client.post(
        reverse("conventions:group_add_user", args=[convention.pk]),
        {
            "organisme": convention.organisme_id,
            "user": admin.pk,
            "group": group(HabilitationGroup.HABILITER).pk,
            "date_ouverture": "24/11/2017",
        },
    )
    assert response.status_code == 200
    assert not admin.memberships.filter(group__code=HabilitationGroup.HABILITER).exists()
    assert any("vous ajouter vous-même" in error for error in response.context["form"].errors["group"])
