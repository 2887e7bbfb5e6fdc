"""Two administrators granting the same habilitation at the same moment end with exactly one: the database
refuses the second open habilitation (constraint one_open_habilitation_per_activite), whatever the timing.
Needs PostgreSQL (two real connections at once); CI runs it there."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction

from afas.habilitations.services import end_habilitation
from afas.models import AuditEvent, Habilitation, Role
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def groups():
    """Earlier transactional tests flush the rows of the groups' data migration: put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("conventions.migrations.0002_habilitation_groups").create_groups(apps, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deux connexions simultanées : PostgreSQL")
def test_two_simultaneous_grants_of_the_same_habilitation_leave_one():
    activite = ActiviteFactory()
    user = UserFactory(organisme=activite.organisme, declarant=True)
    admins = [UserFactory(organisme=activite.organisme, partner_admin=True) for _ in range(2)]
    start = threading.Barrier(2, timeout=10)
    outcomes = []

    def grant(admin):
        try:
            start.wait()  # both administrators click « Valider » at the same moment
            with transaction.atomic():
                Habilitation.objects.create(
                    user=user, role=Role.FR_DA, activite=activite, debut="2026-01-01", granted_by=admin
                )
                time.sleep(0.3)  # the first one still uncommitted while the second inserts
            outcomes.append("granted")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Habilitation.objects.filter(user=user, activite=activite).count() == 1
    assert sorted(outcomes) == ["granted", "refused"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="dix connexions simultanées : PostgreSQL")
def test_ten_simultaneous_ends_of_one_habilitation_write_one_end_event():
    """« Supprimer » sent ten times at once, each request holding the row as read before any end: one end,
    one « end » event in the trail (audit, issue 13)."""
    habilitation = HabilitationFactory()
    manager = UserFactory(organisme=habilitation.activite.organisme, partner_admin=True)
    pages = [Habilitation.objects.get(pk=habilitation.pk) for _ in range(10)]
    start = threading.Barrier(10, timeout=10)
    outcomes = []

    def end(page):
        try:
            start.wait()
            end_habilitation(page, ended_by=manager)
            outcomes.append("ended")
        except Refused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=end, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["ended"] + ["refused"] * 9
    assert AuditEvent.objects.filter(habilitation=habilitation, action="end").count() == 1
