"""ARCHITECTURE.md says where each rule lives: every file and folder it cites (`core/tokens.py`, `core/`,
the links to docs/) exists. A path with a placeholder (`<app>/views.py`) or a URL (`/back-office/`) is
not a file of the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
# A relative path: names joined by slashes, with at least one slash.
PATH = re.compile(r"[\w.-]+(?:/[\w.-]*)+")


def cited_paths(text):
    cited = re.findall(r"`([^`\n]+)`", text) + re.findall(r"\]\(([^)\s]+)\)", text)
    return sorted({token for token in cited if PATH.fullmatch(token)})


def test_the_page_cites_paths():
    cited = cited_paths(ARCHITECTURE.read_text())
    assert "core/tokens.py" in cited
    assert "docs/domain.md" in cited
    assert "templates/admin/<app>/<model>/" not in cited
    assert len(cited) > 50


def test_every_path_the_architecture_page_cites_exists():
    missing = [path for path in cited_paths(ARCHITECTURE.read_text()) if not (ROOT / path).exists()]
    assert missing == []
