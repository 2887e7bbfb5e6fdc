"""docs/screens.md maps the deck's slides to the pages: every row names a URL that exists, with its path,
the view that serves it and a template that exists, so the table cannot drift from the code."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens.md"
BACK_OFFICE = "back-office"


def routes(patterns=None, prefix="", namespace=""):
    """{"namespace:name": (path, view)} for every named URL of the project."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(routes(pattern.url_patterns, route, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[namespace + pattern.name] = ("/" + route, pattern.callback)
    return found


def dotted(view):
    view = getattr(view, "view_class", view)
    name = view.__name__ if "<locals>" in view.__qualname__ else view.__qualname__  # portal.pages' factory
    return f"{view.__module__}.{name}"


def rows():
    cells = []
    for line in SCREENS.read_text().splitlines():
        row = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(row) == 6 and (row[0].startswith("N°") or row[0].startswith("—")):
            cells.append(row)
    return cells


def test_the_table_covers_every_slide_of_the_deck():
    covered = set()
    for slide in (row[0] for row in rows()):
        bounds = [int(n) for n in re.findall(r"\d+", slide)]
        if bounds:
            covered.update(range(bounds[0], bounds[-1] + 1))
    assert covered == set(range(1, 27)) - {6}  # the deck has no N°6


@pytest.mark.parametrize("row", rows(), ids=lambda row: f"{row[0]} {row[2]}")
def test_each_row_names_a_url_its_view_and_a_template_that_exist(row):
    _slide, _screen, name, path, view, template = row
    known = routes()
    assert name in known, f"{name} is not a URL name"
    assert path == known[name][0]
    if view != BACK_OFFICE:
        assert view == dotted(known[name][1])
    if template != "—":
        get_template(template)


ROOT = SCREENS.parents[1]
DOMAIN = ROOT / "docs" / "domain.md"
SOURCES = ["accounts", "conventions", "afas", "core", "portal", "devtools", "templates"]


def cited(pattern):
    """{number: [files citing it]} for what the application's modules and templates cite as `pattern`."""
    found = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                for first, last in re.findall(pattern, path.read_text()):
                    for number in range(int(first), int(last or first) + 1):
                        found.setdefault(number, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_rule_the_code_cites_is_a_rule_of_the_domain_notes():
    rules = {int(number) for number in re.findall(r"^(\d+)\. ", DOMAIN.read_text(), re.M)}
    citing = cited(r"\b[Rr]ules? (\d+)(?:[–-](\d+))?\b")
    assert {3, 23, 28} <= citing.keys()
    assert {number: files for number, files in citing.items() if number not in rules} == {}


def test_every_slide_the_code_cites_is_a_row_of_the_screens_table():
    slides = {
        number
        for row in rows()
        for first, last in re.findall(r"^N°(\d+)(?:–(\d+))?$", row[0])
        for number in range(int(first), int(last or first) + 1)
    }
    citing = cited(r"\bslides? N°(\d+)(?:[–-]N°(\d+))?\b")
    assert {5, 25} <= citing.keys()
    assert {number: files for number, files in citing.items() if number not in slides} == {}
