"""The processes of the run: database, Redis, SMTP sink, two gunicorn, the worker, nginx."""

import contextlib
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg
import redis
import requests
from aiosmtpd.controller import Controller

from .base import (
    DATABASE_URL,
    LOOPBACK,
    MAIL_QUEUE_MAX_AGE,
    NGINX,
    NGINX_PORT,
    PG_RELAY_PORT,
    PUBLIC_HOST,
    PYTHON,
    REDIS_PORT,
    REDIS_SERVER,
    ROOT,
    SITE_URL,
    SMTP_PORT,
    WEB_PORTS,
    port_open,
    wait_until,
)
from .services import MailSink, Relay


class Topology:
    """The processes of the run, each in its own process group so that it and its children stop together."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="portail-smoke-"))
        self.tmp.chmod(0o755)  # nginx's workers run as nobody when the script runs as root
        self.processes = {}
        self.smtp = None
        self.sink = MailSink()
        db = psycopg.conninfo.conninfo_to_dict(DATABASE_URL.replace("postgres://", "postgresql://", 1))
        self.relay = Relay(PG_RELAY_PORT, (db.get("host", "127.0.0.1"), int(db.get("port", 5432))))
        self.db_name = db["dbname"]
        self.db_admin = dict(db, dbname="postgres")

    # environment of the Django processes
    def env(self, **extra):
        web_db = re.sub(
            r"@[^/]+/",
            f"@{LOOPBACK}:{PG_RELAY_PORT}/",
            DATABASE_URL.replace("postgresql://", "postgres://", 1),
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SECURE_", "TASKS_"))
        }
        env.update(
            DEBUG="false",
            SECRET_KEY="smoke-only-" + "k" * 50,
            DATABASE_URL=web_db,
            REDIS_URL=f"redis://{LOOPBACK}:{REDIS_PORT}/0",
            ALLOWED_HOSTS=f"{PUBLIC_HOST},{LOOPBACK}",
            SITE_URL=SITE_URL,
            TRUSTED_PROXY_COUNT="1",
            EMAIL_URL=f"smtp://{LOOPBACK}:{SMTP_PORT}",
            MAIL_QUEUE_MAX_AGE=str(MAIL_QUEUE_MAX_AGE),
            STATIC_ROOT=str(self.tmp / "static"),
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def spawn(self, name, argv, env=None):
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process's life)
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.processes[name]

    def stop(self, name, sig=signal.SIGTERM, timeout=8):
        process = self.processes.pop(name, None)
        if process is None:
            return
        for current in (sig, signal.SIGKILL):
            try:
                os.killpg(process.pid, current)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout)
                # The group may outlive its leader (gunicorn's workers): make sure none is left.
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
            break

    def manage(self, *args, timeout=120, **env):
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(DATABASE_URL=DATABASE_URL.replace("postgresql://", "postgres://", 1), **env),
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
        )

    # starting
    def prepare_database(self):
        with psycopg.connect(**self.db_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.manage("migrate", "--noinput", timeout=150)
        self.manage("load_demo", "--force", DEVTOOLS="true")  # the web processes run without devtools
        self.manage("collectstatic", "--noinput")

    def start_redis(self):
        self.spawn(
            "redis",
            [
                REDIS_SERVER,
                "--port",
                str(REDIS_PORT),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
        )
        wait_until("Redis démarré", lambda: redis.Redis(port=REDIS_PORT, socket_timeout=1).ping(), 10)

    def start_web(self, name):
        self.spawn(
            name,
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "portal.wsgi:application",
            ],
            self.env(GUNICORN_BIND=f"{LOOPBACK}:{WEB_PORTS[name]}", INSTANCE_ID=name, WEB_CONCURRENCY="2"),
        )

    def start_worker(self):
        direct_db = DATABASE_URL.replace("postgresql://", "postgres://", 1)
        self.spawn(
            "worker",
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5"],
            self.env(DATABASE_URL=direct_db, INSTANCE_ID="worker"),
        )

    def nginx_config(self):
        """deploy/nginx.conf with only its ports and log directory changed, inside a minimal main config."""
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", rf"\1listen {LOOPBACK}:{NGINX_PORT};", site)
        upstream = re.search(r"upstream portail \{(.*?)\}", site, re.S)
        options = re.search(r"server\s+\S+((?:\s+\w+=\S+)*);", upstream.group(1)).group(1)
        servers = "".join(f"\n    server {LOOPBACK}:{port}{options};" for port in WEB_PORTS.values())
        body = re.sub(r"(?m)^\s*server\s+[^;]+;", "", upstream.group(1), count=0)
        site = site.replace(upstream.group(0), f"upstream portail {{{servers}{body}}}")
        site = site.replace("/var/log/nginx/", f"{self.tmp}/")
        assert listens == 1, "deploy/nginx.conf : une seule directive listen attendue"
        temp = {}
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            path = self.tmp / f"nginx-{kind}"
            path.mkdir()
            path.chmod(0o777)
            temp[kind] = path
        (self.tmp / "portail.conf").write_text(site)
        (self.tmp / "nginx.conf").write_text(
            f"""worker_processes 1;
error_log {self.tmp}/nginx-error.log warn;
pid {self.tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    {"".join(f"{kind}_temp_path {path};" for kind, path in temp.items())}
    include {self.tmp}/portail.conf;
}}
"""
        )

    def start_nginx(self):
        self.nginx_config()
        argv = [
            NGINX,
            "-p",
            str(self.tmp),
            "-c",
            str(self.tmp / "nginx.conf"),
            "-e",
            str(self.tmp / "nginx-error.log"),
        ]
        subprocess.run([*argv, "-t", "-q"], check=True, timeout=10)
        self.spawn("nginx", [*argv, "-g", "daemon off;"])

    def start(self):
        self.prepare_database()
        self.relay.start()
        self.start_redis()
        self.smtp = Controller(self.sink, hostname=LOOPBACK, port=SMTP_PORT)
        self.smtp.start()
        for name in WEB_PORTS:
            self.start_web(name)
        self.start_worker()
        self.start_nginx()
        for name, port in WEB_PORTS.items():
            wait_until(f"{name} à l'écoute", lambda port=port: direct_healthz(port), 40)
        wait_until("nginx à l'écoute", lambda: port_open(NGINX_PORT), 10)

    def stop_all(self):
        for name in list(self.processes):
            self.stop(name)
        if self.smtp is not None:
            with contextlib.suppress(Exception):  # already stopped
                self.smtp.stop()
        self.relay.stop()


def direct_healthz(port):
    response = requests.get(f"http://{LOOPBACK}:{port}/healthz", headers={"Host": LOOPBACK}, timeout=2)
    return response.status_code == 200
