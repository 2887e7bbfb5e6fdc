"""The 10,000-user import of `make bench` (bench/import_users.py), run small: every line a user, each step
timed, nothing left behind in the database."""

import pytest

from accounts.models import User
from bench import import_users

pytestmark = pytest.mark.django_db


def test_the_bench_creates_every_user_and_leaves_the_database_as_found(monkeypatch):
    monkeypatch.setattr(import_users, "USERS", 12)
    users_before = User.objects.count()
    figures = import_users.measure()
    assert (figures["lines"], figures["created"]) == (12, 12)
    assert {"build_s", "read_s", "check_s", "create_s"} <= figures.keys()
    assert User.objects.count() == users_before
