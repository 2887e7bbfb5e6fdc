"""Every named URL, for every profile, with B's ids: the status the matrix says, never B's data shown to
someone else, never B's data changed. Generated from the URL configuration: a URL without an entry in
url_matrix.py fails here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .scenario import FOREIGN_TEXTS, PROFILES
from .state import tables_written
from .url_matrix import ROUTES, route_for
from .urls import named_urls, url_patterns

NAMED_URLS = named_urls()


def missing_entries():
    return sorted(name for name, pattern in named_urls().items() if route_for(name, pattern) is None)


def test_every_named_url_has_an_entry_in_the_matrix():
    missing = missing_entries()
    assert not missing, (
        "URL sans entrée dans tests/security/url_matrix.py (ajoutez-la à ROUTES) : " + ", ".join(missing)
    )


@pytest.mark.urls("tests.security.urls_unlisted")
def test_a_new_url_without_an_entry_is_reported_by_name():
    assert missing_entries() == ["conventions:nouvelle_page"]


def test_matrix_has_no_entry_for_a_url_that_no_longer_exists():
    stale = sorted(set(ROUTES) - set(NAMED_URLS))
    assert not stale, "Entrées de url_matrix.py sans URL : " + ", ".join(stale)


def test_every_url_outside_the_back_office_is_named():
    unnamed = [
        route for name, _, route in url_patterns() if name is None and not route.startswith("back-office/")
    ]
    assert not unnamed, f"URL sans nom, donc hors de la matrice : {unnamed}"


def accepted(expected):
    return expected if isinstance(expected, tuple) else (expected,)


@pytest.mark.parametrize("name", sorted(NAMED_URLS))
def test_each_profile_gets_what_the_matrix_says_and_nothing_of_b(name, scenario, client_as):
    route = route_for(name, NAMED_URLS[name])
    if route is None:
        pytest.fail(f"{name} n'a pas d'entrée dans tests/security/url_matrix.py")
    url = reverse(name, kwargs=route.kwargs(scenario))
    failures = []
    for profile in PROFILES:
        for method in ("get", "post"):
            client = client_as(profile)
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            expected = accepted(getattr(route, method)[profile])
            where = f"{method.upper()} {url} en {profile}"
            if response.status_code not in expected:
                failures.append(f"{where} : {response.status_code}, attendu {expected}")
            body = response.content.decode(errors="replace")
            if profile != "admin_b":
                shown = [text for text in FOREIGN_TEXTS if text in body]
                if shown:
                    failures.append(f"{where} montre des données de B : {shown}")
            may_change = method == "post" and profile in route.may_change | {"admin_b"}
            changed = tables_written(queries, bookkeeping=False)  # the idle timer may touch the session
            if changed and not may_change:
                failures.append(f"{where} a modifié : {changed}")
    assert not failures, "\n".join(failures)
