"""Production settings (DEBUG off, PostgreSQL), with the benchmark's URL configuration (bench/urls.py) and
the devtools app (generate_volume)."""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS

if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

ROOT_URLCONF = "bench.urls"
