"""The « Filtrer utilisateur par » block of « Liste des utilisateurs », before any search, kept in the
shared cache (core/fragments.py, issue 12) under the groups' token: a group renamed or added reaches the
very next page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import HabilitationGroup
from tests.conventions.factories import ConventionAdministratorFactory

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def group_queries(client, convention, query=None):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("conventions:users", args=[convention.pk]), query or {}).content.decode()
    return page, [q["sql"] for q in queries if 'FROM "conventions_habilitationgroup"' in q["sql"]]


def test_the_empty_block_is_kept_between_requests(admin_client, convention):
    page, queries = group_queries(admin_client, convention)
    assert queries and ">AFAS-DEC - AFAS Déclarer</option>" in page
    HabilitationGroup.objects.filter(code=HabilitationGroup.DECLARER).update(libelle="Changé")  # no signal
    again, queries = group_queries(admin_client, convention)
    assert queries == [] and "Changé" not in again


def test_the_kept_block_is_the_drawn_block(admin_client, convention, member, settings):
    url = reverse("conventions:users", args=[convention.pk])
    drawn = CSRF.sub("", admin_client.get(url).content.decode())
    assert CSRF.sub("", admin_client.get(url).content.decode()) == drawn  # from the cache
    settings.FRAGMENT_CACHE = False
    assert CSRF.sub("", admin_client.get(url).content.decode()) == drawn


def test_a_search_draws_its_own_block(admin_client, convention):
    group_queries(admin_client, convention)
    page, queries = group_queries(admin_client, convention, {"nom": "DUB"})
    assert queries and 'value="DUB"' in page


def test_a_group_renamed_or_added_reaches_the_next_page(admin_client, convention):
    group_queries(admin_client, convention)
    declarer = HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER)
    declarer.libelle = "AFAS Déclarer (renommé)"
    declarer.save()
    page, _ = group_queries(admin_client, convention)
    assert ">AFAS Déclarer (renommé)</option>" in page


def test_each_convention_has_its_own_reset_link(admin_client, convention, admin):
    second = ConventionAdministratorFactory(user=admin, convention__organisme=convention.organisme).convention
    group_queries(admin_client, convention)
    page, _ = group_queries(admin_client, second)
    assert f'href="{reverse("conventions:users", args=[second.pk])}">Réinitialiser' in page
