"""The dependency order of the project, read from the import lines of every module: each layer imports
only the layers below it, and no production module imports the tests or their factory libraries.

    core < accounts < conventions < afas < portal < devtools < bench

(`make lint` checks the same with import-linter: [tool.importlinter] in pyproject.toml.)"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["core", "accounts", "conventions", "afas", "portal", "devtools", "bench"]
# Test-only: the tests themselves, and the libraries their factories are built with (dev dependencies).
TEST_ONLY = {"tests", "factory", "faker"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source, name, is_package=False):
    """The absolute names of the modules imported anywhere in `source` (module `name`), relative imports
    resolved."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            else:
                yield node.module


def violations(source, name, is_package=False):
    """The import lines of module `name` that go up a layer or into the tests."""
    layer = LAYERS.index(name.split(".")[0])
    found = []
    for imported in imported_modules(source, name, is_package):
        top = imported.split(".")[0]
        if top in TEST_ONLY or (top in LAYERS and LAYERS.index(top) > layer):
            found.append(f"{name} imports {imported}")
    return found


def project_modules():
    for layer in LAYERS:
        yield from sorted((ROOT / layer).rglob("*.py"))


def test_every_module_imports_only_the_layers_below_it_and_never_the_tests():
    found = [
        line
        for path in project_modules()
        for line in violations(path.read_text(), module_name(path), path.name == "__init__.py")
    ]
    assert found == []


def test_every_layer_is_a_package_of_the_project():
    assert all((ROOT / layer / "__init__.py").is_file() for layer in LAYERS)
    assert len(list(project_modules())) > 100


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("accounts.models", "from conventions.services import end_memberships", 1),
        ("accounts.models", "def close():\n    import afas.models", 1),  # inside a function too
        ("conventions.forms", "from portal.menu import build_menu", 1),
        ("core.mail", "from accounts.models import User", 1),
        ("afas.demo", "from tests.afas.factories import LieuFactory", 1),
        ("devtools.demo.accounts", "import factory", 1),
        ("afas.habilitations.views", "from ...conventions import rights", 0),  # a relative import, resolved
        ("afas.habilitations.views", "from ..models import Habilitation", 0),
        ("conventions.views.users", "from accounts.models import User\nfrom core.typography import de", 0),
        ("portal.urls", "from afas import urls", 0),
        ("devtools.demo.afas", "from afas.declarations import services", 0),
    ],
)
def test_an_import_of_a_higher_layer_is_reported(name, source, expected):
    assert len(violations(source, name)) == expected
