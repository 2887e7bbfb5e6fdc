import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conventions.models import Convention, ConventionAdministrator, Membership
from tests.accounts.factories import UserFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import ConventionAdministratorFactory, ConventionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_third_open_administrator_is_refused_by_the_database():
    convention = ConventionFactory(with_admin=True)
    ConventionAdministratorFactory(convention=convention, seat=ConventionAdministrator.Seat.SECOND)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionAdministratorFactory(convention=convention, seat=ConventionAdministrator.Seat.SECOND)


def test_a_seat_other_than_1_or_2_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionAdministratorFactory(seat=3)


def test_a_former_administrator_frees_the_seat():
    convention = ConventionFactory(with_admin=True)
    convention.administrators.update(date_fin=datetime.date(2020, 1, 1))
    ConventionAdministratorFactory(convention=convention, date_debut=datetime.date(2020, 1, 1))
    assert convention.administrators.count() == 2


def test_former_administrator_no_longer_administers():
    row = ConventionAdministratorFactory(date_fin=datetime.date(2020, 1, 1))
    assert not Convention.objects.administered_by(row.user).exists()
    assert not row.is_current()


def test_a_membership_cannot_close_before_it_opens():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(date_ouverture=datetime.date(2020, 1, 2), date_cloture=datetime.date(2020, 1, 1))


@on_today
def test_membership_closing_today_is_no_longer_current():
    user = UserFactory()
    MembershipFactory(user=user, date_ouverture=datetime.date(2020, 1, 1), date_cloture=TODAY)
    assert not Membership.objects.current().filter(user=user).exists()


def test_convention_statut_follows_its_dates():
    assert ConventionFactory().statut == "Ouvert"
    assert ConventionFactory(date_cloture=datetime.date(2020, 1, 1)).statut == "Fermé"


def test_an_administrator_belongs_to_the_conventions_organisme():
    convention = ConventionFactory()
    outsider = UserFactory(organisme__caf=convention.caf)
    with pytest.raises(ValidationError) as error:
        ConventionAdministrator(convention=convention, user=outsider).full_clean()
    assert "user" in error.value.message_dict
    ConventionAdministrator(convention=convention, user=UserFactory(organisme=convention.organisme)).clean()
