"""The administrators and the groups of « Détail de la convention » kept in the shared cache
(core/fragments.py, issue 12) under the partner's data token, the groups' token, the convention's « mail
de la Caf » and the day: each change of a seat, of a seated user, of a membership or of a group reaches
the very next page."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from conventions.models import Convention, ConventionAdministrator, HabilitationGroup
from conventions.services import close_membership
from tests.accounts.factories import UserFactory
from tests.clock import NOW, TODAY, on_today
from tests.conventions.conftest import BACKEND
from tests.conventions.factories import ConventionAdministratorFactory, ConventionFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, on_today]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def detail(client, convention):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    read = ('FROM "conventions_conventionadministrator"', 'FROM "conventions_membership"')
    return page, [q["sql"] for q in queries if any(table in q["sql"] for table in read)]


def members_line(count):
    return f"AFAS-DEC - AFAS Déclarer : {count} membre{'s' if count > 1 else ''} actuel"


@pytest.fixture
def kept(admin_client, convention, member):
    page, queries = detail(admin_client, convention)
    assert queries and "BERNARD Claire" in page and members_line(1) in page  # drawn and kept
    return admin_client


def test_the_block_is_kept_between_requests(kept, convention, admin):
    User.objects.filter(pk=admin.pk).update(nom="DURAND")  # no signal: not seen
    page, queries = detail(kept, convention)
    assert queries == [] and "BERNARD Claire" in page


def test_the_kept_page_is_the_drawn_page(kept, convention, settings):
    drawn = CSRF.sub("", detail(kept, convention)[0])
    settings.FRAGMENT_CACHE = False
    assert CSRF.sub("", detail(kept, convention)[0]) == drawn


def test_a_seat_opened_or_ended_reaches_the_next_page(kept, convention, member):
    seat = ConventionAdministratorFactory(convention=convention, user=member, seat=2)
    assert "DUBOIS Jean" in detail(kept, convention)[0]
    seat.date_fin = TODAY
    seat.save()
    assert "02/12/2026</td><td></td></tr>" in detail(kept, convention)[0]


def test_a_seated_user_of_another_partner_renamed_reaches_the_next_page(kept, convention, other_convention):
    outsider = UserFactory(organisme=other_convention.organisme, nom="LOINTAIN", prenom="Luc")
    ConventionAdministratorFactory(convention=convention, user=outsider, seat=2)
    assert "LOINTAIN Luc" in detail(kept, convention)[0]
    outsider.nom = "PROCHE"
    outsider.save()
    page = detail(kept, convention)[0]
    assert "PROCHE Luc" in page and "LOINTAIN" not in page


def test_a_membership_added_or_closed_reaches_the_next_page(kept, convention, member, admin):
    newcomer = UserFactory(organisme=convention.organisme, declarant=True)
    assert members_line(2) in detail(kept, convention)[0]
    close_membership(newcomer.memberships.get(), by=admin)
    assert members_line(1) in detail(kept, convention)[0]


def test_a_group_renamed_reaches_the_next_page(kept, convention):
    group = HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER)
    group.libelle = "AFAS Déclarer (renommé)"
    group.save()
    assert "AFAS Déclarer (renommé) : 1 membre actuel" in detail(kept, convention)[0]


def test_the_day_is_part_of_the_kept_block(kept, convention, member, admin):
    member.memberships.update(date_cloture=TODAY + datetime.timedelta(days=1))  # ends tomorrow, no signal
    MembershipFactory(user=UserFactory(organisme=convention.organisme))  # drops the token: drawn again
    assert members_line(2) in detail(kept, convention)[0]
    with time_machine.travel(NOW + datetime.timedelta(days=1)):
        kept.force_login(admin, backend=BACKEND)  # the session has timed out overnight
        assert members_line(1) in detail(kept, convention)[0]


def test_each_convention_has_its_own_block(kept, convention, admin):
    Convention.objects.filter(pk=convention.pk).update(email_caf="siap@caf.fr")  # no signal
    second = ConventionFactory(organisme=convention.organisme, email_caf="")
    ConventionAdministratorFactory(convention=second, user=admin)
    assert "mailto:siap@caf.fr" in detail(kept, convention)[0]  # the mail is part of the key
    page = detail(kept, second)[0]
    assert "mailto:siap@caf.fr" not in page and "BERNARD Claire" in page


def test_without_a_shared_cache_the_block_is_drawn_each_time(kept, convention, admin, settings):
    settings.FRAGMENT_CACHE = False
    ConventionAdministrator.objects.filter(user=admin).update(avenant_reference="AV-12")  # no signal
    assert "AV-12" in detail(kept, convention)[0]
