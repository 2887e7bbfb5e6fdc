"""The declarant's habilitations in force kept in the shared cache (afas/declarations/in_force.py, issue 12):
a second page reads none of them, and every change of them — or of the day — reaches the very next page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afas.habilitations.services import end_habilitation, suspend_habilitation, validate_approbateur
from afas.models import Role, State
from tests.accounts.factories import UserFactory
from tests.afas.factories import DeclarationFactory, HabilitationFactory
from tests.clock import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]
TRANSMIT = "Transmettre à la Caf"


def page_of(declaration):
    return reverse("afas:declaration", args=[declaration.pk])


def habilitation_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [q["sql"] for q in queries if 'FROM "afas_habilitation"' in q["sql"]]


@pytest.fixture
def declarant(client):
    habilitation = HabilitationFactory()
    client.force_login(habilitation.user)
    return habilitation, DeclarationFactory(activite=habilitation.activite)


def test_a_second_page_reads_no_habilitation(client, declarant):
    habilitation, declaration = declarant
    assert habilitation_queries(client, page_of(declaration))[0] == 200
    status, queries = habilitation_queries(client, page_of(declaration))
    assert status == 200 and queries == []


def test_an_ended_habilitation_closes_the_declaration_at_the_next_page(client, declarant):
    habilitation, declaration = declarant
    assert client.get(page_of(declaration)).status_code == 200
    end_habilitation(habilitation, ended_by=habilitation.user)
    assert client.get(page_of(declaration)).status_code == 404


def test_a_new_habilitation_opens_its_declarations_at_the_next_page(client, declarant):
    habilitation, declaration = declarant
    other = DeclarationFactory(activite__organisme=habilitation.activite.organisme)
    assert client.get(page_of(declaration)).status_code == 200
    assert client.get(page_of(other)).status_code == 404
    HabilitationFactory(user=habilitation.user, activite=other.activite, role=Role.FR_DF)
    assert client.get(page_of(other)).status_code == 200


def test_an_approbateur_validated_then_suspended_by_the_caf_reaches_the_next_page(client, declarant):
    habilitation, declaration = declarant
    declaration.state = State.A_APPROUVER
    declaration.save()
    approbateur = HabilitationFactory(
        user=habilitation.user, activite=habilitation.activite, approbateur=True
    )
    agent = UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf)
    assert TRANSMIT not in client.get(page_of(declaration)).content.decode()
    validate_approbateur(approbateur, agent=agent)
    assert TRANSMIT in client.get(page_of(declaration)).content.decode()
    suspend_habilitation(approbateur, agent=agent)
    assert TRANSMIT not in client.get(page_of(declaration)).content.decode()


def test_an_habilitation_reaching_its_end_closes_the_declaration_after_midnight(client, time_machine):
    # Signed in at 23:50 on its last day (the fin is excluded), the page asked again at 00:05.
    time_machine.move_to(NOW.replace(hour=23, minute=50))
    habilitation = HabilitationFactory(fin=TODAY + datetime.timedelta(days=1))
    declaration = DeclarationFactory(activite=habilitation.activite)
    client.force_login(habilitation.user)
    assert client.get(page_of(declaration)).status_code == 200
    time_machine.move_to(NOW.replace(hour=23, minute=50) + datetime.timedelta(minutes=15))
    assert client.get(page_of(declaration)).status_code == 404


def test_without_a_shared_cache_they_are_read_each_time(client, declarant, settings):
    settings.FRAGMENT_CACHE = False
    habilitation, declaration = declarant
    client.get(page_of(declaration))
    status, queries = habilitation_queries(client, page_of(declaration))
    assert status == 200 and len(queries) == 1
