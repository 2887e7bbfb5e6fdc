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
# Every port from one base, so that another run of the topology (make security: 9900) shares the machine.
PORT_BASE = int(os.environ.get("SMOKE_PORT_BASE", 18000))
NGINX_PORT = int(os.environ.get("SMOKE_NGINX_PORT", PORT_BASE + 80))
WEB_PORTS = {"web1": PORT_BASE + 1, "web2": PORT_BASE + 2}
REDIS_PORT = PORT_BASE + 79
SMTP_PORT = PORT_BASE + 25
PG_RELAY_PORT = PORT_BASE + 54
# Another loopback address than nginx's own: the audit trail must show this one, not the proxy's.
CLIENT_ADDR = "127.0.0.3"
PUBLIC_HOST = "portail.smoke.test"
SITE_URL = f"https://{PUBLIC_HOST}"
DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_smoke")
MAIL_QUEUE_MAX_AGE = 6  # seconds, so that a stopped worker shows in /readyz within the run
RUN_TIMEOUT = 300  # the whole run, seconds (sign-ins of one account wait for a new TOTP step)
DEMO_PASSWORD = "Portail-Demo-2026!"
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
