import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.deployment import shared_state_settings, task_backend

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.AXES_HANDLER, s.TASKS['default']['BACKEND']]))"
)


def settings_under(**environment):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASKS_BACKEND", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", SECRET_KEY="x" * 50, **environment)
    output = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)


def test_with_redis_sessions_and_cache_are_shared_through_redis():
    cache, sessions, axes, tasks = settings_under(REDIS_URL="redis://cache.interne:6379/0")
    assert cache == "django_redis.cache.RedisCache"  # tolerant of an unreachable Redis (IGNORE_EXCEPTIONS)
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert axes == "accounts.lockout.LockoutHandler"  # axes' database handler
    assert tasks == "django_tasks_db.DatabaseBackend"


def test_without_redis_sessions_live_in_the_database():
    cache, sessions, axes, _ = settings_under()
    assert cache == "django.core.cache.backends.locmem.LocMemCache"
    assert sessions == "django.contrib.sessions.backends.db"
    assert axes == "accounts.lockout.LockoutHandler"  # axes' database handler


def test_demo_server_sends_mails_at_once_and_production_through_the_worker():
    assert settings_under(DEBUG="true")[3] == "django_tasks.backends.immediate.ImmediateBackend"
    assert task_backend(debug=False) == "django_tasks_db.DatabaseBackend"


@pytest.fixture
def redis_url():
    """A throwaway redis-server on loopback, when the machine has one."""
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server absent : test du cache Redis ignoré")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
            break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(5)


@pytest.mark.django_db
def test_session_opened_on_one_process_is_read_from_redis_by_another(client, settings, redis_url):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches

    from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

    settings.CACHES = shared_state_settings(redis_url)["CACHES"]
    settings.SESSION_ENGINE = shared_state_settings(redis_url)["SESSION_ENGINE"]
    UserFactory(identifiant="123456789")
    client.post("/mon-compte-partenaire/connexion/", {"username": "123456789", "password": DEFAULT_PASSWORD})
    session_key = client.cookies["sessionid"].value
    caches.close_all()
    assert caches["default"].get(KEY_PREFIX + session_key)["_auth_user_id"]
    assert client.get("/mon-compte-partenaire/bienvenue/").status_code == 200
