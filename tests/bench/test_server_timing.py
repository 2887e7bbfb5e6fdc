"""The benchmark's cost per request: the Server-Timing header (bench settings only), the quick runner and
the table that compares each page with the floor and the back-office of the same run."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import pages, quick, run
from bench.timing import HEADER, parse
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME = "/mon-compte-partenaire/bienvenue/"
TIMING = "bench.middleware.ServerTimingMiddleware"


@pytest.fixture
def timed(settings):
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]


def test_only_the_bench_settings_time_requests():
    import bench.settings
    import portal.settings

    assert TIMING not in portal.settings.MIDDLEWARE
    assert bench.settings.MIDDLEWARE[0] == TIMING  # first: the session, user and rights are counted


def test_production_response_has_no_server_timing(client):
    assert HEADER not in client.get("/healthz")


def test_header_gives_cpu_and_every_query_of_a_signed_in_page(timed, client):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(WELCOME)
    assert response.status_code == 200
    timing = parse(response[HEADER])
    assert timing["queries"] == len(queries.captured_queries) > 0  # session and user included
    assert timing["cpu"] > 0 and timing["sql"] >= 0


def test_floor_answers_without_query(timed, client):
    timing = parse(client.get("/healthz")[HEADER])
    assert timing["queries"] == 0


class FloorRequests(list):
    def __call__(self, client):
        self.append(client.get("/healthz"))
        return self[-1]


def test_quick_measures_a_page_several_times_after_a_warm_up(timed, client, monkeypatch):
    monkeypatch.setattr(quick, "REQUESTS", 4)
    requested = FloorRequests()
    measured = quick.measure(pages.page_named(pages.FLOOR), client, requested)
    assert len(requested) == 5 and len(measured["walls"]) == 4 and measured["failures"] == 0
    assert [timing[1] for timing in measured["timings"]] == [0, 0, 0, 0]


def test_quick_takes_a_page_slower_than_its_time_once(timed, client, monkeypatch):
    monkeypatch.setattr(quick, "SECONDS", -1)  # the warm-up alone already took longer
    requested = FloorRequests()
    measured = quick.measure(pages.page_named(pages.FLOOR), client, requested)
    assert len(requested) == 1 and len(measured["walls"]) == 1


def figures(cpu, queries, p95=20.0, rps=100.0, failures=0):
    return {
        "count": 10,
        "failures": failures,
        "p50": p95 / 2,
        "p95": p95,
        "p99": p95,
        "rps": rps,
        "cpu": [cpu] * 10,
        "queries": [queries] * 10,
        "sql": [1.5] * 10,
    }


def row_of(table, name):
    return next(line for line in table.splitlines() if line.startswith(f"| {name} |")).split(" | ")


def test_table_compares_cpu_with_floor_and_back_office_of_the_same_run():
    results = {
        pages.FLOOR: figures(0.5, 0, rps=1000.0),
        pages.ADMIN_REFERENCE: figures(40.0, 6, p95=300.0, rps=20.0),
        "Bienvenue": figures(5.0, 3, rps=250.0),
        "Consulter les conventions": figures(12.0, 9, rps=80.0),
    }
    table = run.table(results)
    welcome = row_of(table, "Bienvenue")
    # CPU median, p90, queries, SQL ms, ÷ floor, ÷ admin
    assert welcome[8:14] == ["5,0", "5,0", "3", "1,5", "10,0", "0,12"]
    assert welcome[-1].startswith("✓")
    conventions = row_of(table, "Consulter les conventions")
    assert "CPU > 10 ms" in conventions[-1] and "> 8 requêtes SQL" in conventions[-1]
    assert "< ¼ du plancher" in conventions[-1]
    assert "non mesurée" in row_of(table, "Statistiques")[-1]
    assert "Statistiques" not in run.table(results, partial=True)  # --page: only the pages it measured


def test_quick_table_flags_a_page_costlier_than_the_back_office():
    results = {
        pages.FLOOR: figures(0.5, 0, rps=None),
        pages.ADMIN_REFERENCE: figures(20.0, 6, rps=None),
        "Habilitations Actif (grand partenaire)": figures(25.0, 7, p95=500.0, rps=None),
    }
    verdict = row_of(run.table(results, under_load=False), "Habilitations Actif (grand partenaire)")[-1]
    assert verdict.startswith("✗ plus coûteuse que le back-office")  # not the load targets: no load here
    assert "p95" not in verdict


def test_percentile_is_nearest_rank():
    assert run.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert run.percentile(list(range(1, 11)), 0.9) == 9
    assert run.percentile([], 0.5) is None
