"""« In force on a day » (core/dated.py): from the start (included) to the end (excluded), open-ended
without an end; the queryset and the row say the same, through a relation too."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from conventions.models import ConventionAdministrator, Membership
from tests.afas.factories import HabilitationFactory
from tests.conventions.factories import ConventionAdministratorFactory, MembershipFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2024, 3, 1), datetime.date(2024, 6, 1)
DAYS = {
    "the day before it starts": (START - datetime.timedelta(days=1), "not_started"),
    "the day it starts": (START, "in_force"),
    "the day before it ends": (END - datetime.timedelta(days=1), "in_force"),
    "the day it ends": (END, "ended"),
}


@pytest.mark.parametrize("day", DAYS, ids=list(DAYS))
def test_a_membership_is_in_force_from_its_opening_until_its_closing_excluded(day):
    on, expected = DAYS[day]
    membership = MembershipFactory(date_ouverture=START, date_cloture=END)
    for state in ("not_started", "in_force", "ended"):
        assert getattr(Membership.objects, state)(on).filter(pk=membership.pk).exists() == (state == expected)
    assert membership.is_in_force(on) == (expected == "in_force")
    assert membership.is_ended(on) == (expected == "ended")
    assert membership.has_not_started(on) == (expected == "not_started")


def test_without_an_end_it_stays_in_force():
    row = ConventionAdministratorFactory(date_debut=START, date_fin=None)
    later = datetime.date(2031, 1, 1)
    assert ConventionAdministrator.objects.in_force(later).filter(pk=row.pk).exists()
    assert row.is_in_force(later) and not row.is_ended(later)


def test_through_a_relation_the_related_rows_period_is_read():
    membership = MembershipFactory(user__date_ouverture=START, user__date_cloture=END)
    in_force = Membership.objects.filter(User.period.in_force(START, through="user"))
    assert in_force.filter(pk=membership.pk).exists()
    assert not Membership.objects.filter(User.period.in_force(END, through="user")).exists()


def test_overlapping_shares_at_least_one_day():
    membership = MembershipFactory(date_ouverture=START, date_cloture=END)
    overlapping = Membership.objects.filter(pk=membership.pk)
    assert overlapping.filter(Membership.period.overlapping(END - datetime.timedelta(days=1))).exists()
    assert not overlapping.filter(Membership.period.overlapping(END)).exists()
    assert not overlapping.filter(
        Membership.period.overlapping(START - datetime.timedelta(days=9), START)
    ).exists()


def test_one_open_row_refuses_a_second_open_row_but_keeps_the_closed_ones():
    # Period.one_open_row: Membership's « one open-ended membership per user and group ».
    closed = MembershipFactory(date_ouverture=START, date_cloture=END)
    again = MembershipFactory(user=closed.user, group=closed.group, date_ouverture=END, date_cloture=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=closed.user, group=closed.group, date_ouverture=END, date_cloture=None)
    assert set(Membership.objects.filter(user=closed.user)) == {closed, again}


def test_one_open_row_among_counts_only_the_rows_it_names():
    # Habilitation's « one open habilitation per activité » counts neither the refused ones nor the lieux.
    refused = HabilitationFactory(refused=True)
    again = HabilitationFactory(approbateur=True, user=refused.user, activite=refused.activite)
    on_a_lieu = HabilitationFactory(on_lieu=True, user=refused.user, activite=refused.activite)
    with pytest.raises(IntegrityError), transaction.atomic():
        HabilitationFactory(approbateur=True, user=refused.user, activite=refused.activite)
    assert set(refused.user.habilitations.all()) == {refused, again, on_a_lieu}


def test_ends_after_start_constraint_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionAdministratorFactory(date_debut=END, date_fin=START)
