"""The lockout cannot be used to lock an account for good (audit, issue 13): it lasts a cool-off that grows,
one address trying many identifiants is locked too, and lifting it keeps the failed-attempt history."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from accounts.services import lift_lockout
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)


def post(identifiant, password="mauvais", address="203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("accounts:login"), {"username": identifiant, "password": password})


def lock(identifiant, address="203.0.113.7"):
    for _ in range(10):
        post(identifiant, address=address)
    assert post(identifiant, DEFAULT_PASSWORD, address).status_code == 403


@pytest.mark.parametrize(("minutes", "status"), [(14, 403), (16, 302)])
def test_a_first_lock_lasts_15_minutes(time_machine, minutes, status):
    time_machine.move_to(NOW)
    UserFactory(identifiant="100000001")
    for _ in range(10):
        post("100000001")
    time_machine.move_to(NOW + datetime.timedelta(minutes=minutes))
    assert post("100000001", DEFAULT_PASSWORD).status_code == status


@pytest.mark.parametrize(("minutes", "status"), [(29, 403), (31, 302)])
def test_each_new_lock_of_the_day_lasts_twice_as_long(time_machine, minutes, status):
    time_machine.move_to(NOW)
    UserFactory(identifiant="100000001")
    for _ in range(10):
        post("100000001")
    later = NOW + datetime.timedelta(minutes=16)
    time_machine.move_to(later)
    for _ in range(10):
        post("100000001")  # the second lock of the day: 30 minutes
    time_machine.move_to(later + datetime.timedelta(minutes=minutes))
    assert post("100000001", DEFAULT_PASSWORD).status_code == status


def test_one_address_trying_many_identifiants_is_locked():
    UserFactory(identifiant="100000099")
    for number in range(50):
        post(f"2000000{number:02d}")
    assert post("100000099", DEFAULT_PASSWORD).status_code == 403
    assert post("100000099", DEFAULT_PASSWORD, address="198.51.100.1").status_code == 302


def test_an_office_sharing_an_address_is_not_locked_by_one_user():
    UserFactory(identifiant="100000002")
    lock("100000001")
    assert post("100000002", DEFAULT_PASSWORD).status_code == 302


def test_lifting_a_lock_keeps_the_failed_attempts_history():
    UserFactory(identifiant="100000001")
    lock("100000001")
    assert lift_lockout("100000001")
    assert post("100000001", DEFAULT_PASSWORD).status_code == 302
    assert AccessFailureLog.objects.filter(username="100000001").count() >= 10
    assert not AccessAttempt.objects.filter(username="100000001", failures_since_start__gte=10).exists()
