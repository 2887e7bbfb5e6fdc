import datetime
import io

import pytest

from conventions.models import ConventionAdministrator, HabilitationGroup, Membership
from devtools.demo import conventions as demo

pytestmark = pytest.mark.django_db


def test_demo_partners_have_their_administrators_and_the_groups_history():
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent
    admins = ConventionAdministrator.objects.values_list("user__identifiant", "convention__libelle")
    assert set(admins) == {
        ("100000001", demo.CLOS),
        ("100000002", demo.MARTIGUES),
        ("100000003", demo.PETITS_DROLES),
    }
    claire = Membership.objects.filter(user__identifiant="100000001").values_list("group__code", flat=True)
    assert set(claire) == {HabilitationGroup.HABILITER, HabilitationGroup.DECLARER}
    closed = Membership.objects.get(user__identifiant="567890123", group__code=HabilitationGroup.DECLARER)
    assert closed.date_cloture == datetime.date(2020, 9, 1)
    assert closed.closed_by.identifiant == "100000001"
    former = Membership.objects.get(user__identifiant="400000050")
    assert (former.date_ouverture, former.date_cloture) == (
        datetime.date(2016, 3, 1),
        datetime.date(2024, 6, 30),
    )
