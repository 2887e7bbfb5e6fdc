"""Two providers at once on the same declaration, with real concurrent transactions (PostgreSQL only:
SQLite serialises every write anyway). Run with DATABASE_URL=postgres://…"""

import contextlib
import threading
from unittest import mock

import pytest
from django.db import connection, connections

from afas.declarations import services
from afas.models import State
from tests.accounts.factories import UserFactory
from tests.afas.factories import DeclarationFactory

from .declarations_data import activity, financial

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_completing_the_last_two_parts_at_once_still_makes_it_a_approuver():
    declaration = DeclarationFactory()
    activity_part, financial_part = declaration.activity_data.get(), declaration.financial_data
    fr_da, fr_df = UserFactory(), UserFactory()
    # Both threads stop after marking their own part complete and before looking at the other part. Without
    # a lock, each would see the other's part still incomplete and the declaration would stay « En cours ».
    meeting = threading.Barrier(2, timeout=3)
    real_check = services.all_parts_complete

    def check_after_meeting(declaration):
        # A broken barrier: the other thread waits for our lock, as it should once declarations are locked.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return real_check(declaration)

    errors = []

    def complete(part, values, user):
        try:
            services.complete_part(part, values, {}, 0, user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(services, "all_parts_complete", check_after_meeting):
        threads = [
            threading.Thread(target=complete, args=(activity_part, activity(), fr_da)),
            threading.Thread(target=complete, args=(financial_part, financial(), fr_df)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    declaration.refresh_from_db()
    assert declaration.state == State.A_APPROUVER


def test_two_transmissions_at_once_in_one_caf_get_two_receipt_numbers():
    from afas.declarations import receipts
    from afas.models import Receipt
    from tests.afas.factories import ActiviteFactory

    first = DeclarationFactory(state=State.A_APPROUVER, values=activity(), financial=financial())
    second = DeclarationFactory(
        activite=ActiviteFactory(organisme__caf=first.activite.organisme.caf),
        state=State.A_APPROUVER,
        values=activity(),
        financial=financial(),
    )
    # Both threads stop after reading the last number of the year. Without the lock on the Caf, each would
    # read the same one and the second receipt would be refused as a duplicate.
    meeting = threading.Barrier(2, timeout=3)
    real_reference = receipts.reference_of

    def reference_after_meeting(*args):
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return real_reference(*args)

    errors = []

    def transmit(declaration):
        try:
            services.transmit(declaration, UserFactory())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(receipts, "reference_of", reference_after_meeting):
        threads = [threading.Thread(target=transmit, args=(d,)) for d in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2]
