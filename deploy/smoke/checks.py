"""The checks, each returning a short detail or raising AssertionError; run in this order by __main__."""

import html
import json
import os
import re
import signal
import threading
import time

import psycopg
import redis
import requests

from .base import (
    CLIENT_ADDR,
    DEMO_PASSWORD,
    MAIL_QUEUE_MAX_AGE,
    NEW_PASSWORD,
    PUBLIC_HOST,
    REDIS_PORT,
    SITE_URL,
    WEB_PORTS,
    SmokeTimeout,
    port_open,
    wait_until,
)
from .client import Browser, error_text, form_choice_default, main_form, signed_in_page


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
        session_cookies = [c for c in cookies if c.startswith("__Host-sessionid=")]
        assert session_cookies and all("Secure" in c and "HttpOnly" in c for c in session_cookies), cookies
        csrf = [c for c in cookies if c.startswith("__Host-csrftoken=")]
        assert all("Secure" in c and "Path=/" in c and "Domain" not in c for c in csrf), csrf
        assert all("Path=/" in c and "Domain" not in c for c in session_cookies), session_cookies
        return "cookies de session et CSRF __Host- (Secure, Path=/, sans Domain)"

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
        key = browser.session.cookies.get("__Host-sessionid")
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
