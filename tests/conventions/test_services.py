import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from conventions.models import Convention, HabilitationGroup, Membership
from conventions.rights import get_rights
from conventions.services import (
    add_to_group,
    change_administrator,
    close_membership,
    close_user,
    create_partner_user,
    update_partner_user,
)
from conventions.validators import normalize_phone
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.conventions.factories import (
    ConventionAdministratorFactory,
    ConventionFactory,
    MembershipFactory,
    group,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def declarer():
    return group(HabilitationGroup.DECLARER)


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("0123456789", "01 23 45 67 89"),
        ("01.23.45.67.89", "01 23 45 67 89"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("+33 4 77 12 34 56", "04 77 12 34 56"),
        ("0033477123456", "04 77 12 34 56"),
    ],
)
def test_french_phone_numbers_are_written_by_pairs(typed, normalized):
    assert normalize_phone(typed) == normalized


@pytest.mark.parametrize(
    "typed", ["12345", "0023456789", "01234567890", "+44 20 7946 0958", "01 23 ab 67 89"]
)
def test_malformed_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_create_partner_user_generates_identifiant_and_joins_groups(declarer):
    admin = UserFactory(partner_admin=True)
    user = create_partner_user(
        organisme=admin.organisme,
        groups=[declarer],
        by=admin,
        nom="DURAND",
        prenom="Léa",
        email="lea.durand@example.fr",
        date_ouverture=D(2026, 1, 5),
    )
    assert len(user.identifiant) == 9 and user.identifiant.isdigit()
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.group, membership.date_ouverture, membership.created_by) == (
        declarer,
        D(2026, 1, 5),
        admin,
    )


@pytest.mark.parametrize(
    ("opened", "closed"),
    [
        (D(2020, 6, 1), None),  # inside an open-ended membership
        (D(2019, 1, 1), D(2020, 1, 2)),  # ends on its second day
        (D(2019, 1, 1), None),  # starts before, never ends
    ],
)
def test_add_to_group_refuses_an_overlapping_period(declarer, opened, closed):
    existing = MembershipFactory(date_ouverture=D(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        add_to_group(existing.user, declarer, opened, closed)
    assert "déjà membre du groupe « AFAS-DEC - AFAS Déclarer »" in error.value.message_dict["group"][0]
    assert existing.user.memberships.count() == 1


def test_add_to_group_accepts_a_period_after_a_closed_one(declarer):
    existing = MembershipFactory(date_ouverture=D(2020, 1, 1), date_cloture=D(2021, 1, 1))
    added = add_to_group(existing.user, declarer, D(2021, 1, 1))
    assert added.date_cloture is None and existing.user.memberships.count() == 2


def test_add_to_group_accepts_a_period_ending_when_the_next_starts(declarer):
    existing = MembershipFactory(date_ouverture=D(2020, 1, 1))
    add_to_group(existing.user, declarer, D(2019, 1, 1), D(2020, 1, 1))
    assert existing.user.memberships.count() == 2


def test_close_user_closes_today_ends_memberships_and_blocks_sign_in():
    admin = UserFactory(partner_admin=True)
    user = UserFactory(organisme=admin.organisme, declarant=True, habiliter=True)
    close_user(user, by=admin)
    user.refresh_from_db()
    today = timezone.localdate()
    assert (user.date_cloture, user.closed_by, user.statut) == (today, admin, "Fermé")
    assert set(user.memberships.values_list("date_cloture", flat=True)) == {today}
    assert user.memberships.filter(closed_by=admin).count() == 2
    assert (
        authenticate(RequestFactory().post("/"), username=user.identifiant, password=DEFAULT_PASSWORD) is None
    )
    assert not get_rights(UserFactory._meta.model.objects.get(pk=user.pk)).is_declarant


def test_close_user_refuses_a_convention_administrator():
    admin = UserFactory(partner_admin=True)
    convention = admin.administered_conventions.get().convention
    colleague = ConventionAdministratorFactory(convention=convention, seat=2).user
    with pytest.raises(ValidationError, match="avenant"):
        close_user(colleague, by=admin)


def test_close_user_refuses_an_already_closed_account():
    with pytest.raises(ValidationError, match="déjà fermé"):
        close_user(UserFactory(closed=True), by=UserFactory())


def test_close_membership_ends_it_today_and_keeps_it():
    membership = MembershipFactory()
    closer = UserFactory()
    close_membership(membership, by=closer)
    membership.refresh_from_db()
    assert (membership.date_cloture, membership.closed_by) == (timezone.localdate(), closer)
    assert Membership.objects.filter(pk=membership.pk).exists()
    with pytest.raises(ValidationError, match="déjà close"):
        close_membership(membership, by=closer)


def test_update_partner_user_with_a_closing_date_ends_memberships():
    user = UserFactory(declarant=True)
    update_partner_user(user, by=UserFactory(), date_cloture=D(2030, 1, 1))
    assert user.memberships.get().date_cloture == D(2030, 1, 1)


def test_change_administrator_ends_the_former_row_and_keeps_the_account():
    convention = ConventionFactory(with_admin=True)
    former = convention.administrators.get()
    successor = UserFactory(organisme=convention.organisme)
    new_row = change_administrator(
        convention,
        former=former,
        new_user=successor,
        avenant_date=D(2024, 5, 2),
        avenant_reference="AV-2024-07",
    )
    former.refresh_from_db()
    assert former.date_fin == D(2024, 5, 2) and former.user.is_open()
    assert (new_row.seat, new_row.avenant_reference, new_row.date_debut) == (
        former.seat,
        "AV-2024-07",
        D(2024, 5, 2),
    )
    assert list(Convention.objects.administered_by(successor)) == [convention]
    assert not Convention.objects.administered_by(former.user).exists()


def test_change_administrator_fills_a_free_seat_then_refuses_a_third():
    convention = ConventionFactory(with_admin=True)
    second = change_administrator(
        convention,
        new_user=UserFactory(organisme=convention.organisme),
        avenant_date=D(2024, 1, 1),
        avenant_reference="AV-1",
    )
    assert second.seat == 2
    with pytest.raises(ValidationError) as error:
        change_administrator(
            convention,
            new_user=UserFactory(organisme=convention.organisme),
            avenant_date=D(2024, 1, 1),
            avenant_reference="AV-2",
        )
    assert "deux administrateurs" in error.value.message_dict["former"][0]


def test_change_administrator_refuses_a_user_of_another_organisme():
    convention = ConventionFactory(with_admin=True)
    with pytest.raises(ValidationError) as error:
        change_administrator(
            convention,
            former=convention.administrators.get(),
            new_user=UserFactory(),
            avenant_date=D(2024, 1, 1),
            avenant_reference="AV-1",
        )
    assert "new_user" in error.value.message_dict
