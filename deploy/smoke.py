"""`make smoke`: the production topology on this machine, on loopback ports, checked through the proxy.

Starts nginx (Debian's, with deploy/nginx.conf rewritten for the ports below), two gunicorn processes
(deploy/gunicorn.conf.py) on PostgreSQL, a private Redis, the db_worker and an SMTP sink (aiosmtpd); then
plays an operator's and a user's session through nginx, one line per check, and closes with
`N passed, N failed`. Everything it started is stopped on exit, on failure and on CTRL-C.

The web processes reach PostgreSQL through a TCP relay of this script, which it cuts to make the database
unreachable without touching the machine's shared server. The requests come from CLIENT_ADDR and carry
the headers a TLS terminator in front of nginx would add (X-Forwarded-Proto: https).
"""

import contextlib
import html
import html.parser
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import message_from_bytes
from pathlib import Path

import psycopg
import redis
import requests
from aiosmtpd.controller import Controller
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parent.parent
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


# --- the pieces ---------------------------------------------------------------------------------------


class Relay:
    """A TCP relay to PostgreSQL that can be cut (every relayed connection closed) and restored."""

    def __init__(self, listen_port, target):
        self.listen_port, self.target = listen_port, target
        self.server = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.server = socket.create_server((LOOPBACK, self.listen_port), reuse_port=False)
        self.server.settimeout(0.2)
        self.running = True
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def _accept(self, server):
        while self.running and server is self.server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, 3)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def stop(self):
        self.running = False
        if self.server is not None:
            self.server.close()
            self.server = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()


class MailSink:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages = queue.Queue()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.put(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def wait_for(self, recipient, timeout=25):
        deadline = time.monotonic() + timeout
        kept = []
        try:
            while time.monotonic() < deadline:
                try:
                    message = self.messages.get(timeout=0.2)
                except queue.Empty:
                    continue
                if recipient in message["To"]:
                    return message
                kept.append(message)
        finally:
            for message in kept:
                self.messages.put(message)
        raise AssertionError(f"aucun mail reçu pour {recipient} en {timeout} s")


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
        self.manage("load_demo", "--force")
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


# --- the client ---------------------------------------------------------------------------------------


class SourceAddressAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT_ADDR, 0)
        super().init_poolmanager(*args, **kwargs)


class FormParser(html.parser.HTMLParser):
    """The forms of a page: their action and the values a browser would send as they stand."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.in_option = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": [],
                "choices": {},
            }
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            name = attrs["name"]
            if kind in ("checkbox", "radio"):
                self.form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset"):
                self.form["fields"].append((name, attrs.get("value", "")))
        elif tag == "select":
            self.select = {"name": attrs.get("name"), "first": None, "selected": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.form["choices"].setdefault(self.select["name"], []).append(value)
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["selected"] = value

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None and self.form is not None:
            value = self.select["selected"] if self.select["selected"] is not None else self.select["first"]
            if value is not None:
                self.form["fields"].append((self.select["name"], value))
            self.select = None
        elif tag == "form":
            self.form = None


def post_forms(page):
    parser = FormParser()
    parser.feed(page)
    return [form for form in parser.forms if form["method"] == "post"]


def main_form(page):
    """The page's own form (not the menu's « Se déconnecter »): the POST form with the most fields."""
    return max(post_forms(page), key=lambda form: len(form["fields"]) + len(form["choices"]))


class Browser:
    """A user's browser behind the TLS terminator: every request goes to nginx with the terminator's
    headers and a Referer of the public address (Django's CSRF check of an HTTPS request)."""

    def __init__(self):
        self.session = requests.Session()
        self.session.mount("http://", SourceAddressAdapter())
        self.session.headers.update(
            {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", "User-Agent": "portail-smoke"}
        )
        self.last_path = "/"

    def url(self, path):
        return f"http://{LOOPBACK}:{NGINX_PORT}{path}"

    def request(self, method, path, follow=True, **kwargs):
        """Redirects followed here rather than by requests, which would not send a Secure cookie set on
        the way (its merged jar ignores the cookie policy). response.history holds every hop."""
        kwargs.setdefault("timeout", 10)
        hops = []
        for _ in range(10):
            response = self.session.request(method, self.url(path), allow_redirects=False, **kwargs)
            for cookie in self.session.cookies:
                # The script stands in for the terminator's client: a Secure cookie travels over TLS to the
                # terminator, the last hop to nginx is plain HTTP (its Set-Cookie line is checked).
                cookie.secure = False
            location = response.headers.get("Location", "")
            if not (
                follow
                and response.is_redirect
                and (location.startswith("/") or location.startswith(SITE_URL))
            ):
                response.history = hops
                return response
            hops.append(response)
            path, method = location.removeprefix(SITE_URL), "GET"
            kwargs.pop("data", None)
            kwargs.pop("params", None)
        raise AssertionError(f"plus de 10 redirections depuis {path}")

    def get(self, path, **kwargs):
        self.last_path = path
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        kwargs.setdefault("timeout", 15)
        headers = {"Referer": SITE_URL + self.last_path, **kwargs.pop("headers", {})}
        return self.request("POST", path, data=data, headers=headers, **kwargs)

    def submit(self, path, overrides=(), **kwargs):
        """GET `path`, then POST its form as it stands with `overrides` (name → value or list)."""
        page = self.get(path)
        assert page.status_code == 200, f"GET {path} → {page.status_code}"
        form = main_form(page.text)
        overrides = dict(overrides)
        fields = [(name, value) for name, value in form["fields"] if name not in overrides]
        for name, value in overrides.items():
            fields.extend((name, v) for v in (value if isinstance(value, list) else [value]))
        return self.post(form["action"] or path, fields, **kwargs), form

    def sign_in(self, identifiant, password):
        response, _ = self.submit(
            "/mon-compte-partenaire/connexion/", {"username": identifiant, "password": password}
        )
        return response


def signed_in_page(response, who="BERNARD"):
    return response.status_code == 200 and who in response.text and "/connexion/" not in response.url


# --- the checks ---------------------------------------------------------------------------------------


class Run:
    def __init__(self, topology):
        self.topology = topology
        self.passed = self.failed = 0
        self.admin = Browser()
        self.context = {}

    def check(self, label, function):
        started = time.monotonic()
        try:
            detail = function()
        except (SmokeTimeout, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 (a failed check is reported, the run goes on)
            self.failed += 1
            print(f"ÉCHEC  {label} — {type(error).__name__}: {error}", flush=True)
            return False
        self.passed += 1
        suffix = f" — {detail}" if detail else ""
        print(f"ok     {label}{suffix} ({time.monotonic() - started:.1f} s)", flush=True)
        return True

    def query(self, sql, *params):
        with psycopg.connect(**dict(self.topology.db_admin, dbname=self.topology.db_name)) as conn:
            return conn.execute(sql, params).fetchall()

    # each check returns a short detail or raises AssertionError

    def healthz(self):
        response = Browser().get("/healthz")
        assert response.status_code == 200 and response.text == "ok", (
            f"{response.status_code} {response.text[:80]!r}"
        )
        return "200 ok"

    def readyz_ok(self):
        body = wait_until(
            "/readyz 200", lambda: (r := Browser().get("/readyz")).status_code == 200 and r.json(), 15
        )
        assert body["status"] == "ok", body
        return str(body)

    def readyz_names(self, part):
        response = wait_until(
            f"/readyz 503 nommant {part}",
            lambda: (
                (r := Browser().get("/readyz")).status_code == 503
                and part in r.json()["failing"]
                and r.json()
            ),
            timeout=15,
        )
        return f"503 {response['failing']}"

    def https_redirect_without_terminator(self):
        plain = requests.get(
            Browser().url("/mon-compte-partenaire/connexion/"),
            headers={"Host": PUBLIC_HOST},
            allow_redirects=False,
            timeout=10,
        )
        assert plain.status_code == 301 and plain.headers["Location"].startswith(f"https://{PUBLIC_HOST}/"), (
            f"{plain.status_code} {plain.headers.get('Location')}"
        )
        return f"sans terminateur : 301 → {plain.headers['Location']}"

    def no_redirect_loop(self):
        response = Browser().get("/mon-compte-partenaire/connexion/", follow=False)
        assert response.status_code == 200, f"{response.status_code} {response.headers.get('Location')}"
        assert response.headers.get("Strict-Transport-Security"), "pas de HSTS"
        return "X-Forwarded-Proto: https du terminateur transmis, 200"

    def sign_in_admin(self):
        response = self.admin.sign_in("100000001", DEMO_PASSWORD)
        assert signed_in_page(response), f"{response.status_code} {response.url}"
        cookies = [c for r in [*response.history, response] for c in r.raw.headers.getlist("Set-Cookie")]
        session_cookies = [c for c in cookies if c.startswith("sessionid=")]
        assert session_cookies and all("Secure" in c and "HttpOnly" in c for c in session_cookies), cookies
        csrf = [c for c in cookies if c.startswith("csrftoken=")]
        assert all("Secure" in c for c in csrf), csrf
        return "cookies de session et CSRF Secure"

    def conventions_page(self):
        response = self.admin.get("/conventions/")
        assert signed_in_page(response) and "Clos des Potiers" in response.text, response.status_code
        match = re.search(r'href="/conventions/(\d+)/"', response.text)
        assert match, "aucune convention listée"
        self.context["convention"] = match.group(1)
        detail = self.admin.get(f"/conventions/{match.group(1)}/")
        assert detail.status_code == 200, detail.status_code
        return f"/conventions/ et /conventions/{match.group(1)}/"

    def both_processes(self):
        served = {}
        for _ in range(12):
            response = self.admin.get("/conventions/")
            assert signed_in_page(response), f"{response.status_code} {response.url}"
            served[response.headers["X-Served-By"]] = served.get(response.headers["X-Served-By"], 0) + 1
        assert set(served) == set(WEB_PORTS), served
        return f"servie par {served}"

    def request_id_trail(self):
        response = self.admin.get("/page-inconnue-du-smoke/")
        assert response.status_code == 404, response.status_code
        request_id = response.headers.get("X-Request-ID", "")
        assert re.fullmatch(r"[0-9a-f]{32}", request_id), f"X-Request-ID {request_id!r} (pas celui de nginx)"
        served_by = response.headers["X-Served-By"]

        def logged():
            web_log = (self.topology.tmp / f"{served_by}.log").read_text()
            nginx_log = (self.topology.tmp / "access.log").read_text()
            access = re.search(
                rf'"GET /page-inconnue-du-smoke/ HTTP/1.1" 404 \d+ duration_ms=\d+ request_id={request_id}',
                web_log,
            )
            app = re.search(r'^\{.*"request_id": "' + request_id + r'".*\}$', web_log, re.M)
            return access and app and f"request_id={request_id}" in nginx_log and app.group(0)

        line = wait_until("le parcours de la requête dans les journaux", logged, timeout=5)
        record = json.loads(line)
        for field in ("time", "level", "logger", "request_id", "user_id", "client_ip"):
            assert field in record, f"{field} absent de {record}"
        assert record["user_id"] and record["client_ip"] == CLIENT_ADDR, record
        return f"{request_id} dans nginx, l'accès gunicorn (durée) et le JSON : {line[:120]}…"

    def create_user(self):
        stamp = str(int(time.time()))[-6:]
        email = f"smoke.{stamp}@example.fr"
        path = f"/conventions/{self.context['convention']}/utilisateurs/nouveau/"
        response, form = self.admin.submit(
            path,
            {
                "nom": "Fumée",
                "prenom": "Camille",
                "email": email,
                "email_confirmation": email,
                "poste": form_choice_default(self.admin, path, "poste"),
            },
        )
        text = html.unescape(response.text)
        assert response.status_code == 200 and "est créé avec l'identifiant" in text, (
            f"{response.status_code} {response.url} {error_text(text)}"
        )
        identifiant = re.search(r"avec l'identifiant (\w+)", text).group(1)
        self.context.update(email=email, identifiant=identifiant)
        return f"{identifiant} créé par 100000001"

    def activation_mail(self):
        message = self.topology.sink.wait_for(self.context["email"])
        body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
        match = re.search(r"(https?://\S+/activation/\S+/)", body)
        assert match, f"pas de lien d'activation dans {body[:300]!r}"
        link = match.group(1)
        assert link.startswith(SITE_URL + "/"), f"lien {link} hors de l'adresse publique {SITE_URL}"
        self.context["activation"] = link
        return f"via le worker et le serveur SMTP : {link[:70]}…"

    def follow_activation(self):
        browser = Browser()
        path = self.context["activation"].removeprefix(SITE_URL)
        response = browser.get(path)
        assert response.status_code == 200, response.status_code
        form_path = response.url.removeprefix(browser.url(""))
        fields = [name for name, _ in main_form(response.text)["fields"]]
        passwords = [name for name in fields if "password" in name]
        assert len(passwords) == 2, fields
        response, _ = browser.submit(form_path, dict.fromkeys(passwords, NEW_PASSWORD))
        text = html.unescape(response.text)
        assert response.history and "Votre mot de passe est enregistré" in text, (
            f"{response.status_code} {error_text(text)}"
        )
        signed = Browser().sign_in(self.context["identifiant"], NEW_PASSWORD)
        assert signed_in_page(signed, "FUMÉE"), f"{signed.status_code} {signed.url} {error_text(signed.text)}"
        return "mot de passe choisi, connexion du nouvel utilisateur"

    def audited_with_client_address(self):
        forged = {"X-Forwarded-For": "203.0.113.66"}
        grant = "/afas/administration-des-profils/habiliter/"
        page = self.admin.get(grant)
        assert page.status_code == 200, page.status_code
        form = main_form(page.text)
        organisme = dict(form["fields"]).get("organisme") or form["choices"]["organisme"][-1]
        users = [u for u in form["choices"].get("utilisateur", []) if u]
        assert users, "aucun utilisateur à habiliter"
        params = {"organisme": organisme, "utilisateur": users[0], "portee": "activites"}
        listing = self.admin.get(grant, params=params)
        form = main_form(listing.text)
        activites = [a for a in form["choices"].get("activites", []) if a]
        assert activites, "aucune activité proposée"
        fields = dict(form["fields"])
        fields.update(
            organisme=organisme, utilisateur=users[0], role="fr_da", portee="activites", action="enregistrer"
        )
        fields = [*fields.items(), ("activites", activites[0])]
        before = self.query("SELECT coalesce(max(id), 0) FROM afas_auditevent")[0][0]
        response = self.admin.post(grant, fields, headers=forged)
        assert response.status_code == 200 and "créée" in response.text, (
            f"{response.status_code} {error_text(response.text)}"
        )
        rows = self.query("SELECT action, host(ip_address) FROM afas_auditevent WHERE id > %s", before)
        assert rows, "aucun événement d'audit"
        assert all(ip == CLIENT_ADDR for _, ip in rows), f"audité avec {rows} (client {CLIENT_ADDR})"
        return f"{rows[0][0]} audité avec {CLIENT_ADDR}, X-Forwarded-For forgé 203.0.113.66 ignoré"

    def lockout_with_client_address(self):
        browser = Browser()
        browser.session.headers["X-Forwarded-For"] = "198.51.100.9"
        response = browser.sign_in("999999998", "pas le bon mot de passe")
        assert response.status_code in (200, 403), response.status_code
        rows = self.query("SELECT host(ip_address) FROM axes_accessattempt WHERE username = %s", "999999998")
        assert rows and rows[0][0] == CLIENT_ADDR, f"tentative enregistrée avec {rows}"
        return f"échec de connexion compté pour {CLIENT_ADDR}, pas 198.51.100.9"

    def without_redis(self):
        self.topology.stop("redis")
        wait_until("Redis arrêté", lambda: not port_open(REDIS_PORT), 5)
        still = self.admin.get("/conventions/")
        assert signed_in_page(still), f"session existante : {still.status_code}"
        browser = Browser()
        response = browser.sign_in("100000001", DEMO_PASSWORD)
        assert signed_in_page(response), f"connexion : {response.status_code} {response.url}"
        page = browser.get("/conventions/")
        assert signed_in_page(page), f"page : {page.status_code}"
        return "session existante et nouvelle connexion servies, sessions lues en base"

    def redis_back(self):
        self.topology.start_redis()
        self.readyz_ok()
        browser = Browser()
        response = browser.sign_in("100000001", DEMO_PASSWORD)
        assert signed_in_page(response), response.status_code
        key = browser.session.cookies.get("sessionid")
        client = redis.Redis(port=REDIS_PORT, socket_timeout=1)
        cached = wait_until(
            "session dans Redis", lambda: [k for k in client.keys("*") if key.encode() in k], 5
        )
        return f"/readyz 200, session remise en cache ({cached[0].decode()[:40]}…)"

    def stalled_mail_queue(self):
        self.topology.stop("worker")
        response, _ = Browser().submit(
            "/mon-compte-partenaire/mot-de-passe-oublie/",
            {"identifiant": "100000001", "username": "100000001"},
        )
        assert response.status_code in (200, 302), response.status_code
        time.sleep(MAIL_QUEUE_MAX_AGE + 1)
        detail = self.readyz_names("mail_queue")
        self.topology.start_worker()
        self.topology.sink.wait_for("@", timeout=25)
        self.readyz_ok()
        return f"worker arrêté : {detail} ; relancé : mail envoyé, /readyz 200"

    def kill_one_web_process(self):
        results, stop = [], threading.Event()

        def hammer():
            while not stop.is_set() and len(results) < 80:
                try:
                    response = self.admin.get("/conventions/", timeout=10)
                    results.append(
                        (
                            time.monotonic(),
                            signed_in_page(response),
                            response.headers.get("X-Served-By"),
                            response.status_code,
                        )
                    )
                except requests.RequestException as error:
                    results.append((time.monotonic(), False, None, repr(error)))

        thread = threading.Thread(target=hammer, daemon=True)
        thread.start()
        wait_until("requêtes avant l'arrêt", lambda: len(results) >= 6, 20)
        victim = self.topology.processes["web1"]
        os.kill(victim.pid, signal.SIGKILL)  # the master only, as a crash would
        killed_at = time.monotonic()
        wait_until("requêtes après l'arrêt", lambda: len([r for r in results if r[0] > killed_at]) >= 20, 40)
        stop.set()
        thread.join(15)
        failures = [r for r in results if not r[1]]
        after = [r for r in results if r[0] > killed_at]
        assert len(failures) <= 1, f"{len(failures)} requêtes en échec : {failures[:3]}"
        assert all(r[1] for r in after[-10:]), after[-10:]
        final = self.admin.get("/conventions/")
        assert signed_in_page(final) and final.headers["X-Served-By"] == "web2", final.headers.get(
            "X-Served-By"
        )
        return (
            f"{len(results)} requêtes, {len(failures)} en échec (en vol), toujours connecté, servi par web2"
        )

    def without_postgresql(self):
        self.topology.relay.stop()
        response = self.admin.get("/conventions/")
        assert response.status_code == 503, response.status_code
        assert "Service momentanément indisponible" in response.text and 'lang="fr"' in response.text, (
            response.text[:200]
        )
        detail = self.readyz_names("postgresql")
        return f"page 503 en français ; {detail}"

    def postgresql_back(self):
        self.topology.relay.start()
        response = wait_until(
            "retour de PostgreSQL", lambda: signed_in_page(r := self.admin.get("/conventions/")) and r, 15
        )
        self.readyz_ok()
        return f"toujours connecté, {response.status_code}, /readyz 200"


def form_choice_default(browser, path, name):
    form = main_form(browser.get(path).text)
    return dict(form["fields"]).get(name) or form["choices"][name][0]


def error_text(page):
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", e).strip() for e in errors if e.strip())[:300]


def main():
    for tool in (NGINX, REDIS_SERVER):
        if not os.access(tool, os.X_OK):
            print(f"ERREUR : {tool} absent (apt-get install nginx-light redis-server)", file=sys.stderr)
            return 2

    def on_timeout(signum, frame):
        raise SmokeTimeout(f"plus de {RUN_TIMEOUT} s")

    signal.signal(signal.SIGALRM, on_timeout)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped from outside: as CTRL-C
    signal.alarm(RUN_TIMEOUT)
    topology = Topology()
    run = Run(topology)
    started = time.monotonic()
    try:
        print(
            f"== topologie : nginx :{NGINX_PORT} → web1 :{WEB_PORTS['web1']}, web2 :{WEB_PORTS['web2']} ; "
            f"Redis :{REDIS_PORT} ; SMTP :{SMTP_PORT} ; PostgreSQL {topology.db_name} (relais :{PG_RELAY_PORT}) ; "
            f"journaux dans {topology.tmp}",
            flush=True,
        )
        if not run.check(
            "topologie démarrée (base, Redis, SMTP, 2 × gunicorn, worker, nginx)",
            lambda: topology.start() or "prête",
        ):
            return finish(run, topology, started)
        checks = [
            ("/healthz 200 par le proxy (Host transmis)", run.healthz),
            ("/readyz 200 : PostgreSQL, Redis, file des mails", run.readyz_ok),
            ("SECURE_SSL actif : HTTP direct redirigé vers https", run.https_redirect_without_terminator),
            ("derrière le terminateur TLS : pas de boucle de redirection", run.no_redirect_loop),
            ("connexion de 100000001, cookies Secure", run.sign_in_admin),
            ("page de ses conventions", run.conventions_page),
            ("même session servie par les deux processus web", run.both_processes),
            ("identifiant de requête : nginx → gunicorn → journaux JSON", run.request_id_trail),
            ("création d'un utilisateur par l'administrateur", run.create_user),
            ("mail d'activation : worker + SMTP, lien vers l'adresse publique", run.activation_mail),
            ("lien d'activation suivi : mot de passe choisi, connexion", run.follow_activation),
            ("audit : adresse du client, X-Forwarded-For forgé ignoré", run.audited_with_client_address),
            ("blocage (django-axes) : adresse du client", run.lockout_with_client_address),
            (
                "Redis arrêté : /readyz 503 nommant redis",
                lambda: (topology.stop("redis"), run.readyz_names("redis"))[1],
            ),
            ("Redis arrêté : connexion et pages servies", run.without_redis),
            ("Redis revenu : /readyz 200, cache repris", run.redis_back),
            ("worker arrêté : /readyz 503 nommant la file des mails, puis reprise", run.stalled_mail_queue),
            ("kill -9 d'un gunicorn en cours de route", run.kill_one_web_process),
            (
                "PostgreSQL injoignable : page 503 française, /readyz nommant postgresql",
                run.without_postgresql,
            ),
            ("PostgreSQL revenu : pages servies", run.postgresql_back),
        ]
        for label, function in checks:
            run.check(label, function)
    except SmokeTimeout as error:
        run.failed += 1
        print(f"ÉCHEC  délai dépassé — {error}", flush=True)
    except KeyboardInterrupt:
        run.failed += 1
        print("ÉCHEC  interrompu", flush=True)
    except Exception as error:  # noqa: BLE001 (a fault of the script itself: still stop everything)
        run.failed += 1
        print(f"ÉCHEC  erreur du smoke test — {type(error).__name__}: {error}", flush=True)
    finally:
        signal.alarm(0)
    return finish(run, topology, started)


def finish(run, topology, started):
    topology.stop_all()
    if run.failed:
        print(f"journaux gardés dans {topology.tmp}", flush=True)
    else:
        shutil.rmtree(topology.tmp, ignore_errors=True)
    print(f"(en {time.monotonic() - started:.0f} s)", flush=True)
    print(f"{run.passed} passed, {run.failed} failed", flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
