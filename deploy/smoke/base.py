"""Ports, addresses and the bounded wait shared by the pieces of the smoke test."""

import os
import shutil
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

LOOPBACK = "127.0.0.1"
NGINX_PORT = int(os.environ.get("SMOKE_NGINX_PORT", 18080))
WEB_PORTS = {"web1": 18001, "web2": 18002}
REDIS_PORT = 18079
SMTP_PORT = 18025
PG_RELAY_PORT = 18054
# Another loopback address than nginx's own: the audit trail must show this one, not the proxy's.
CLIENT_ADDR = "127.0.0.3"
PUBLIC_HOST = "portail.smoke.test"
SITE_URL = f"https://{PUBLIC_HOST}"
DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_smoke")
MAIL_QUEUE_MAX_AGE = 6  # seconds, so that a stopped worker shows in /readyz within the run
RUN_TIMEOUT = 170  # the whole run, seconds
DEMO_PASSWORD = "Portail-Demo-2026!"
# devtools.builders.DEMO_TOTP_SECRET: the second factor of the demo administrators and agents.
DEMO_TOTP_SECRET = "PORTAILPARTENAIREDEMOTOTPCAFLOIR"
NEW_PASSWORD = "Quatre chevaux verts sous la pluie de novembre"


class SmokeTimeout(Exception):
    pass


def wait_until(what, predicate, timeout=20.0, interval=0.2):
    """Polls `predicate` until it returns something truthy; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception as error:  # noqa: BLE001 (any failure means "not yet")
            last_error = error
        else:
            if value:
                return value
        time.sleep(interval)
    raise AssertionError(f"{what} : pas avant {timeout:.0f} s ({last_error!r})")


def port_open(port, host=LOOPBACK):
    try:
        socket.create_connection((host, port), 0.5).close()
    except OSError:
        return False
    return True
