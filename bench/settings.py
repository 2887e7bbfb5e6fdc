"""Production settings (DEBUG off, PostgreSQL), with the benchmark's URL configuration (bench/urls.py) and
the devtools app (generate_volume)."""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS, MIDDLEWARE

if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

ROOT_URLCONF = "bench.urls"

# First of all, so that it counts every other middleware (session, user, rights) in the CPU time.
MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]
