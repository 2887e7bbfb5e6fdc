"""The filter block of « Mes déclarations » kept in the shared cache (core/fragments.py, issue 12) under what
was asked, the day and the token of the types and natures d'activité: each change of what it offers
reaches the very next page, and each search shows its own criteria."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afas.models import ActivityNature, ActivityType
from tests.afas.factories import ActivityNatureFactory, DeclarationFactory, HabilitationFactory

LIST = reverse("afas:declarations")
pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    declarant = HabilitationFactory(activite__nom="Péri Assoc").user
    DeclarationFactory(activite=declarant.habilitations.get().activite)
    client.force_login(declarant)
    return client


def choice_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST, query).content.decode()
    choices = ('FROM "afas_activitytype"', 'FROM "afas_activitynature"')
    return page, [q["sql"] for q in queries if any(table in q["sql"] for table in choices)]


def test_the_block_is_kept_between_requests(signed_in, django_assert_num_queries):
    page, queries = choice_queries(signed_in, {"rechercher": "1"})
    assert len(queries) == 2 and '<option value="' in page and "Périscolaire" in page
    ActivityNature.objects.update(libelle="Changé")  # no signal: not seen
    # the session and the declarations = 2; neither the types nor the natures of the two choice filters; the
    # user, the rights and the habilitations in force from the cache, the session not saved again.
    with django_assert_num_queries(2):
        again = signed_in.get(LIST, {"rechercher": "1"}).content.decode()
    assert "Changé" not in again and again == page.replace(csrf(page), csrf(again))


def csrf(page):
    start = page.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return page[start : page.index('"', start)]


def test_a_type_or_a_nature_changed_reaches_the_next_page(signed_in):
    signed_in.get(LIST, {"rechercher": "1"})
    kind = ActivityType.objects.get()
    kind.code = "EAJE"
    kind.save()
    ActivityNatureFactory(libelle="Extrascolaire")
    page = signed_in.get(LIST, {"rechercher": "1"}).content.decode()
    assert f'<option value="{kind.pk}">EAJE</option>' in page and "Extrascolaire</option>" in page


def test_each_search_shows_its_own_criteria_and_errors(signed_in):
    signed_in.get(LIST, {"rechercher": "1"})
    page, queries = choice_queries(signed_in, {"rechercher": "1", "activite_nom": "Péri", "exercice": "1990"})
    assert queries and 'value="Péri"' in page and "is-invalid" in page
    page = signed_in.get(LIST, {"rechercher": "1", "activite_nom": "Péri"}).content.decode()
    assert 'value="Péri"' in page and "is-invalid" not in page
    before_search = signed_in.get(LIST).content.decode()
    assert 'value="Péri"' not in before_search and "is-invalid" not in before_search


def test_without_a_shared_cache_it_is_drawn_at_each_page(settings, signed_in):
    settings.FRAGMENT_CACHE = False
    signed_in.get(LIST, {"rechercher": "1"})
    assert choice_queries(signed_in, {"rechercher": "1"})[1]
