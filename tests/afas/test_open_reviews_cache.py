"""The open « Revue des habilitations » of the welcome page, kept in the shared cache (core/fragments.py,
issue 12) under a token that every save or delete of a campaign drops, the partners administered and the
day: each change reaches the very next page."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afas.models import AccessReview
from afas.reviews.services import handle_due_reviews
from tests.accounts.factories import UserFactory
from tests.afas.factories import AccessReviewFactory
from tests.clock import NOW, TODAY, on_today
from tests.conventions.factories import ConventionAdministratorFactory, OrganismeFactory

WELCOME = reverse("accounts:welcome")
pytestmark = on_today


def announced(client, review):
    """Whether the welcome page invites to that campaign."""
    return reverse("afas:review", args=[review.pk]) in client.get(WELCOME).content.decode()


def review_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(WELCOME)
    return [query["sql"] for query in queries if "afas_accessreview" in query["sql"]]


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def review(organisme):
    return AccessReviewFactory(organisme=organisme)


def test_the_open_reviews_are_kept_between_requests(signed_in, review):
    assert announced(signed_in, review)
    AccessReview.objects.filter(pk=review.pk).update(closed_at=NOW)  # no signal: not seen…
    assert announced(signed_in, review)
    assert review_queries(signed_in) == []  # … since nothing is read


def test_a_review_opened_reaches_the_next_page(signed_in, organisme):
    assert review_queries(signed_in)  # none open: that is kept too
    assert review_queries(signed_in) == []
    review = AccessReviewFactory(organisme=organisme)
    assert announced(signed_in, review)


def test_a_review_of_every_partner_of_the_caf_reaches_the_next_page(signed_in, organisme):
    signed_in.get(WELCOME)
    review = AccessReviewFactory(organisme=None, caf=organisme.caf)
    assert announced(signed_in, review)


def test_a_review_closed_leaves_the_next_page(signed_in, review):
    assert announced(signed_in, review)
    review.closed_at = NOW
    review.save()
    assert not announced(signed_in, review)


def test_a_review_deleted_leaves_the_next_page(signed_in, review):
    link = reverse("afas:review", args=[review.pk])
    assert link in signed_in.get(WELCOME).content.decode()
    review.delete()
    assert link not in signed_in.get(WELCOME).content.decode()


def test_a_review_ends_and_opens_with_the_day(signed_in, manager, organisme, review):
    review.date_limite = TODAY
    review.save()
    later = AccessReviewFactory(organisme=organisme, opens_on=TODAY + datetime.timedelta(days=1))
    before_midnight = NOW.replace(hour=23, minute=50)
    with time_machine.travel(before_midnight):
        signed_in.force_login(manager)  # the morning's session has timed out
        assert announced(signed_in, review) and not announced(signed_in, later)
    with time_machine.travel(before_midnight + datetime.timedelta(minutes=20)):  # well within the kept time
        assert not announced(signed_in, review) and announced(signed_in, later)


def test_the_daily_job_closing_a_review_reaches_the_next_page(signed_in, organisme, review):
    due = AccessReviewFactory(organisme=organisme, opens_on=TODAY, date_limite=TODAY)
    assert announced(signed_in, review)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert list(handle_due_reviews()) == [due]
    review.refresh_from_db()
    assert review.closed_at is None
    assert announced(signed_in, review) and not announced(signed_in, due)


def test_a_partner_administered_anew_brings_its_review(signed_in, manager):
    other = OrganismeFactory(raison_sociale="COMMUNE DE MARTIGUES")
    review = AccessReviewFactory(organisme=other)
    assert not announced(signed_in, review)
    ConventionAdministratorFactory(convention__organisme=other, user=manager)
    assert announced(signed_in, review)


def test_another_partners_administrator_never_sees_it(signed_in, review, other_organisme):
    assert announced(signed_in, review)  # kept for the manager's partner
    outsider = Client()
    outsider.force_login(UserFactory(organisme=other_organisme, partner_admin=True, habiliter=True))
    assert not announced(outsider, review)


def test_without_a_shared_cache_they_are_read_at_each_page(settings, signed_in, review):
    settings.FRAGMENT_CACHE = False
    signed_in.get(WELCOME)
    assert review_queries(signed_in)
