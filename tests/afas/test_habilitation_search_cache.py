"""« Habilitations d'action sociale » kept drawn in the shared cache (afas/habilitations/views.py, issue 12):
the same search again reads and draws nothing, and each change of the partner's users, memberships,
activités, lieux or habilitations, of the reference lists, of the administrator's partners or of the day
reaches the very next page."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.habilitations.services import end_habilitation
from afas.models import Habilitation, Role
from conventions.services import close_membership, close_user
from tests.accounts.factories import UserFactory
from tests.afas.factories import HabilitationFactory, LieuFactory
from tests.clock import NOW, TODAY, on_today

SEARCH = reverse("afas:habilitations")
ACTIF = {"etat": "actif"}
pytestmark = on_today
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def held(declarant, activite):
    return HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DF, debut=TODAY)


@pytest.fixture
def signed_in(client, manager, held):
    client.force_login(manager)
    assertContains(client.get(SEARCH, ACTIF), "DUBOIS Jean</td>")  # drawn and kept
    return client


def habilitation_queries(client, params):
    with CaptureQueriesContext(connection) as kept:
        page = client.get(SEARCH, params)
    return page, [q["sql"] for q in kept.captured_queries if "afas_" in q["sql"]]


def test_the_same_search_again_reads_nothing(signed_in):
    page, queries = habilitation_queries(signed_in, ACTIF)
    assertContains(page, "DUBOIS Jean</td>")
    assert queries == []
    # Another search is drawn, then kept too.
    assert habilitation_queries(signed_in, {"etat": "non_attribue"})[1] != []
    assert habilitation_queries(signed_in, {"etat": "non_attribue"})[1] == []


def test_the_kept_page_is_the_drawn_page(client, manager, held, lieux, settings):
    HabilitationFactory(user=held.user, activite=held.activite, lieu=lieux[0], debut=TODAY)
    client.force_login(manager)
    searches = [{}, ACTIF, {"etat": "non_attribue"}, {"etat": "historique", "lieux": "oui"}, {"etat": "x"}]

    def pages():  # the logout form's CSRF token aside, drawn afresh for every response
        return [CSRF.sub("", client.get(SEARCH, params).content.decode()) for params in searches]

    kept = pages()
    assert kept == pages()  # from the cache
    settings.FRAGMENT_CACHE = False
    assert kept == pages()
    assert "Site (Péri Assoc)" in kept[1] and "invalid-feedback" in kept[4]


def test_a_new_habilitation_reaches_the_next_page(signed_in, declarant, activite):
    fr_da = "Fournisseur de données d&#x27;activité</td>"
    assertNotContains(signed_in.get(SEARCH, ACTIF), fr_da)
    HabilitationFactory(user=declarant, activite=activite, role=Role.FR_DA, debut=TODAY)
    assertContains(signed_in.get(SEARCH, ACTIF), fr_da)


def test_an_ended_habilitation_moves_to_historique(signed_in, held, manager):
    assertNotContains(signed_in.get(SEARCH, {"etat": "historique"}), "DUBOIS Jean</td>")
    end_habilitation(Habilitation.objects.get(pk=held.pk), ended_by=manager)
    assertNotContains(signed_in.get(SEARCH, ACTIF), "DUBOIS Jean</td>")
    assertContains(signed_in.get(SEARCH, {"etat": "historique"}), "DUBOIS Jean</td>")


def test_a_closed_user_or_membership_leaves_actif(signed_in, declarant, manager):
    close_membership(declarant.memberships.get(), by=manager)
    assertNotContains(signed_in.get(SEARCH, ACTIF), "DUBOIS Jean</td>")
    assertContains(signed_in.get(SEARCH, {"etat": "inactif"}), "DUBOIS Jean<div")
    other = UserFactory(organisme=declarant.organisme, declarant=True, nom="MARTIN", prenom="Léa")
    HabilitationFactory(user=other, activite=Habilitation.objects.get().activite, debut=TODAY)
    assertContains(signed_in.get(SEARCH, ACTIF), "MARTIN Léa</td>")
    close_user(other, by=manager)
    assertNotContains(signed_in.get(SEARCH, ACTIF), "MARTIN Léa</td>")


def test_a_renamed_user_or_lieu_reaches_the_next_page(signed_in, declarant, held):
    declarant.nom = "DURAND"
    declarant.save()
    page = signed_in.get(SEARCH, ACTIF)
    assertContains(page, "DURAND Jean</td>")
    assertNotContains(page, "DUBOIS Jean</td>")
    lieu = LieuFactory(activite=held.activite, nom="Site")
    HabilitationFactory(user=declarant, activite=held.activite, lieu=lieu, debut=TODAY)
    assertContains(signed_in.get(SEARCH, ACTIF), "Site (Péri Assoc)")
    lieu.nom = "Site Ecoles"
    lieu.save()
    assertContains(signed_in.get(SEARCH, ACTIF), "Site Ecoles (Péri Assoc)")


def test_the_day_is_part_of_the_kept_page(signed_in, manager, declarant, activite):
    tomorrow = HabilitationFactory(
        user=declarant, activite=activite, role=Role.FR_DA, debut=TODAY + datetime.timedelta(days=1)
    )
    end = reverse("afas:habilitation_end", args=[tomorrow.pk])
    assertNotContains(signed_in.get(SEARCH, ACTIF), end)
    with time_machine.travel(NOW + datetime.timedelta(days=1)):
        signed_in.force_login(manager)  # the session has timed out overnight
        assertContains(signed_in.get(SEARCH, ACTIF), end)


def test_another_partners_administrator_never_gets_this_page(client, signed_in, other_organisme):
    other_admin = UserFactory(organisme=other_organisme, partner_admin=True, habiliter=True)
    client.force_login(other_admin)
    assertNotContains(client.get(SEARCH, ACTIF), "DUBOIS Jean</td>")


def test_without_a_shared_cache_the_page_is_drawn_each_time(signed_in, settings, declarant):
    settings.FRAGMENT_CACHE = False
    type(declarant).objects.filter(pk=declarant.pk).update(nom="DURAND")  # no signal: only drawn afresh
    assertContains(signed_in.get(SEARCH, ACTIF), "DURAND Jean</td>")
