"""State never changes on GET: for every URL that answers GET, by every profile, the row counts of all
tables (sessions included) stay the same and no INSERT, UPDATE or DELETE reaches a business table (the idle
timer may rewrite the session itself)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .scenario import PROFILES
from .state import row_counts, tables_written
from .url_matrix import route_for
from .urls import named_urls

NAMED_URLS = named_urls()
GET_URLS = sorted(
    name
    for name, pattern in NAMED_URLS.items()
    if (route := route_for(name, pattern)) is not None and set(route.get.values()) != {405}
)


@pytest.mark.parametrize("name", GET_URLS)
def test_get_changes_nothing(name, scenario, client_as):
    url = reverse(name, kwargs=route_for(name, NAMED_URLS[name]).kwargs(scenario))
    for profile in PROFILES:
        client = client_as(profile)
        counts = row_counts()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert row_counts() == counts, f"GET {url} en {profile} a ajouté ou supprimé des lignes"
        assert tables_written(queries, bookkeeping=False) == [], (
            f"GET {url} en {profile} a modifié des données"
        )
