"""Production settings (DEBUG off, PostgreSQL), with the benchmark's URL configuration (bench/urls.py)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
