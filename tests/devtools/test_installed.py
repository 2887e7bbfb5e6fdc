"""devtools (load_demo, generate_volume) is installed in DEBUG, with DEVTOOLS=true, in the tests and in the
benchmark's settings; a production configuration has neither command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRINT_INSTALLED = (
    "import django; django.setup(); from django.apps import apps; print(apps.is_installed('devtools'))"
)


def devtools_installed(settings_module="portal.settings", **environment):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEVTOOLS")}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="x" * 50, **environment)
    output = subprocess.run(
        [sys.executable, "-c", PRINT_INSTALLED], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return output.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("settings_module", "environment", "installed"),
    [
        ("portal.settings", {}, False),  # production: DEBUG off by default
        ("portal.settings", {"DEBUG": "false", "DEVTOOLS": "true"}, True),  # make smoke's load_demo
        ("portal.settings", {"DEBUG": "true"}, True),  # make run
        ("portal.settings", {"DEBUG": "true", "DEVTOOLS": "false"}, False),
        ("bench.settings", {"DEBUG": "false"}, True),  # make bench: generate_volume
    ],
)
def test_devtools_is_installed_only_where_demo_or_volume_data_are_wanted(
    settings_module, environment, installed
):
    assert devtools_installed(settings_module, **environment) is installed


def test_the_tests_have_devtools():
    assert "devtools" in settings.INSTALLED_APPS
