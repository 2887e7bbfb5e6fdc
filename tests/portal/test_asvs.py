"""docs/asvs.md maps every OWASP ASVS 5.0 level 1–2 requirement of V6, V7, V8 and V16 to the tests that prove
it: no requirement is missing, each row says how it stands, and every test it cites exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "asvs.md"
# ASVS 5.0.0 (OWASP/ASVS, tag v5.0.0_release): the requirements of level 1 and 2 of the four chapters.
REQUIREMENTS = [
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.2.1",
    "6.2.2",
    "6.2.3",
    "6.2.4",
    "6.2.5",
    "6.2.6",
    "6.2.7",
    "6.2.8",
    "6.2.9",
    "6.2.10",
    "6.2.11",
    "6.2.12",
    "6.3.1",
    "6.3.2",
    "6.3.3",
    "6.3.4",
    "6.4.1",
    "6.4.2",
    "6.4.3",
    "6.4.4",
    "6.5.1",
    "6.5.2",
    "6.5.3",
    "6.5.4",
    "6.5.5",
    "6.6.1",
    "6.6.2",
    "6.6.3",
    "6.8.1",
    "6.8.2",
    "6.8.3",
    "6.8.4",
    "7.1.1",
    "7.1.2",
    "7.1.3",
    "7.2.1",
    "7.2.2",
    "7.2.3",
    "7.2.4",
    "7.3.1",
    "7.3.2",
    "7.4.1",
    "7.4.2",
    "7.4.3",
    "7.4.4",
    "7.4.5",
    "7.5.1",
    "7.5.2",
    "7.6.1",
    "7.6.2",
    "8.1.1",
    "8.1.2",
    "8.2.1",
    "8.2.2",
    "8.2.3",
    "8.3.1",
    "8.4.1",
    "16.1.1",
    "16.2.1",
    "16.2.2",
    "16.2.3",
    "16.2.4",
    "16.2.5",
    "16.3.1",
    "16.3.2",
    "16.3.3",
    "16.3.4",
    "16.4.1",
    "16.4.2",
    "16.4.3",
    "16.5.1",
    "16.5.2",
    "16.5.3",
]
STATES = {"preuve", "partiel", "en cours", "sans objet", "manque"}
CITED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def rows():
    found = []
    for line in TABLE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 5 and re.fullmatch(r"\d+\.\d+\.\d+", cells[0]):
            found.append(cells)
    return found


def test_every_requirement_of_the_four_chapters_has_one_row():
    numbers = [row[0] for row in rows()]
    assert sorted(numbers) == sorted(REQUIREMENTS)
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("row", rows(), ids=lambda row: row[0])
def test_each_row_says_how_it_stands_and_why(row):
    number, _level, requirement, state, proof = row
    assert requirement.startswith("Verify"), number
    assert state in STATES, number
    if state in ("preuve", "partiel"):
        assert CITED.search(proof), f"{number} : aucun test cité"
    if state == "en cours":
        assert "issue 13 §" in proof, f"{number} : quelle section de l'issue 13 ?"
    assert len(proof) > 10, f"{number} : pourquoi ?"


def cited_tests():
    return sorted(set(CITED.findall(TABLE.read_text())))


@pytest.mark.parametrize("path,name", cited_tests(), ids=lambda value: value)
def test_every_cited_test_exists(path, name):
    source = ROOT / path
    assert source.is_file(), path
    assert re.search(rf"^(async )?def {name}\(", source.read_text(), re.M), f"{path}::{name}"
