"""The « Filtrer convention par » block of the conventions list, before any search, kept in the shared
cache (core/fragments.py, issue 12) under the user's rights and the partner types' token: each change of
what it offers reaches the very next page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import Organisme, PartnerType
from tests.conventions.conftest import BACKEND
from tests.conventions.factories import ConventionAdministratorFactory, PartnerTypeFactory

LIST = reverse("conventions:list")
pytestmark = pytest.mark.django_db


def option(pk, label):
    return f'<option value="{pk}">{label}</option>'


def choice_queries(client, query=None):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST, query or {}).content.decode()
    choices = ('FROM "conventions_partnertype"', 'FROM "conventions_organisme"')
    return page, [q["sql"] for q in queries if any(table in q["sql"] for table in choices)]


def test_the_empty_block_is_kept_between_requests(admin_client, convention):
    page, queries = choice_queries(admin_client)
    assert queries and option(convention.organisme_id, "Centre Social le Clos des Potiers") in page
    PartnerType.objects.filter(pk=convention.organisme.type_id).update(
        libelle="Changé"
    )  # no signal: not seen
    again, queries = choice_queries(admin_client)
    assert queries == [] and "Changé" not in again


def test_a_search_draws_its_own_block(admin_client, convention):
    admin_client.get(LIST)
    page, queries = choice_queries(admin_client, {"libelle": "Clos"})
    assert queries and 'value="Clos"' in page


def test_a_partner_type_renamed_or_added_reaches_the_next_page(admin_client, convention):
    admin_client.get(LIST)
    kind = convention.organisme.type
    kind.libelle = "Association loi 1901"
    kind.save()
    added = PartnerTypeFactory(libelle="Bailleur social")
    page = admin_client.get(LIST).content.decode()
    assert option(kind.pk, "Association loi 1901") in page and option(added.pk, "Bailleur social") in page


def test_a_partner_renamed_reaches_the_next_page(admin_client, convention):
    admin_client.get(LIST)
    organisme = Organisme.objects.get(pk=convention.organisme_id)
    organisme.raison_sociale = "Clos des Potiers (nouveau nom)"
    organisme.save()
    assert option(organisme.pk, "Clos des Potiers (nouveau nom)") in admin_client.get(LIST).content.decode()


def test_a_convention_named_anew_offers_its_partner_at_the_next_page(admin_client, admin):
    admin_client.get(LIST)
    other = ConventionAdministratorFactory(user=admin, convention__organisme__raison_sociale="Bailleur Loire")
    assert option(other.convention.organisme_id, "Bailleur Loire") in admin_client.get(LIST).content.decode()


def test_another_administrator_never_gets_the_first_ones_block(admin_client, convention, other_admin):
    assert "COMMUNE DE MARTIGUES" not in admin_client.get(LIST).content.decode()
    other = Client()
    other.force_login(other_admin, backend=BACKEND)
    page = other.get(LIST).content.decode()
    assert (
        "Centre Social le Clos des Potiers</option>" not in page and "COMMUNE DE MARTIGUES</option>" in page
    )


def test_without_a_shared_cache_it_is_drawn_at_each_page(settings, admin_client, convention):
    settings.FRAGMENT_CACHE = False
    admin_client.get(LIST)
    assert choice_queries(admin_client)[1]
