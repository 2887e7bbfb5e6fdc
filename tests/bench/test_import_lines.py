"""The 10,000-line import of `make bench` (bench/import_lines.py), run small: every line imported, nothing
left behind in the database."""

import pytest

from afas.models import Declaration
from bench import import_lines, run

pytestmark = pytest.mark.django_db


def test_the_bench_imports_every_line_and_leaves_the_database_as_found(monkeypatch):
    monkeypatch.setattr(import_lines, "ACTIVITES", 2)
    figures = import_lines.measure()
    assert (figures["lines"], figures["changes"], figures["parts"]) == (160, 160, 20)
    assert Declaration.objects.count() == 0


def test_the_report_gives_each_step_and_the_total(monkeypatch):
    monkeypatch.setattr(
        run, "machine", lambda quick=False: "2 cœurs ; un seul processus Django (Client de test)"
    )
    report = run.import_report(
        {
            "lines": 10000,
            "parts": 1250,
            "file_bytes": 778849,
            "read_s": 0.2,
            "check_s": 1.8,
            "apply_s": 3.6,
            "build_s": 3,
        }
    )
    assert (
        "import de 10\u202f000 lignes" in report and "(1\u202f250 parties, fichier CSV de 760 Kio)" in report
    )
    assert "lecture 0,2 s, contrôle 1,8 s, application 3,6 s, **total 5,6 s**" in report
    assert report.endswith(
        "Machine : 2 cœurs ; un seul processus, les fonctions des deux tâches appelées directement."
    )
