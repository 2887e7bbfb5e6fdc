#!/usr/bin/env python3
"""`make bench`: the portal as in production (gunicorn, DEBUG off, PostgreSQL with the national data set),
each page of bench/pages.py under 20 simulated users for a bounded time (locust, headless, loopback only),
then a Markdown table in bench/README.md and on stdout.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portail_bench, created and
filled by generate_volume when empty), BENCH_USERS (20), BENCH_SECONDS (20 per page), BENCH_WORKERS
(gunicorn workers, default 2 per core), BENCH_PORT (8096), BENCH_REDIS (1: sessions in a private
redis-server on loopback, as in production, when the machine has one; 0: in the database). `--stress`: every page at once, 100 users for
60 seconds, fails on any 5xx."""

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "bench"))
from pages import ADMIN_REFERENCE, FLOOR, PAGES, PROFILES  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_bench")
USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
PORT = int(os.environ.get("BENCH_PORT", "8096"))
REDIS_PORT = PORT + 10000
HOST = f"http://127.0.0.1:{PORT}"
PASSWORD = "Portail-Demo-2026!"
P95_TARGET_MS, FLOOR_SHARE_TARGET = 150, 0.25
MARK_START, MARK_END = "<!-- bench:results -->", "<!-- /bench:results -->"

SERVER_ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "k" * 50,
    "SECURE_SSL": "false",  # plain HTTP on loopback; production runs behind TLS
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "ERROR",
}


def say(message):
    print(f"[bench] {message}", flush=True)


def install_bench_dependencies():
    """The `bench` group of pyproject.toml (locust), pinned there, kept out of requirements.lock."""
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["bench"]
    subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", *pins], check=True)


def manage(*args, capture=False):
    return subprocess.run(
        [BIN / "python", "manage.py", *args],
        cwd=ROOT,
        env=SERVER_ENV,
        check=True,
        text=True,
        capture_output=capture,
    ).stdout


def django_json(expression):
    code = f"import json; {expression}"
    return json.loads(manage("shell", "-v0", "-c", code, capture=True).strip().splitlines()[-1])


def prepare_database():
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            say(f"base {name} créée")
    manage("migrate", "--noinput", "-v0")
    profiles = django_json("from bench.profiles import find_profiles; print(json.dumps(find_profiles()))")
    if profiles is None:
        say("jeu de volume absent : generate_volume (quelques minutes)")
        manage("generate_volume", *os.environ.get("BENCH_GENERATE_ARGS", "").split())
        profiles = django_json("from bench.profiles import find_profiles; print(json.dumps(find_profiles()))")
    counts = django_json("from bench.profiles import data_set_counts; print(json.dumps(data_set_counts()))")
    manage("collectstatic", "--noinput", "-v0")
    return profiles, counts


def start_redis():
    """Production runs with REDIS_URL (sessions read from Redis): a private redis-server on loopback when the
    machine has one (BENCH_REDIS=0 to measure without)."""
    server = shutil.which("redis-server")
    if os.environ.get("BENCH_REDIS", "1") == "0" or not server:
        return None
    redis = subprocess.Popen(
        [server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    SERVER_ENV["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
    return redis


def start_server():
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=SERVER_ENV,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{HOST}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn ne répond pas sur /healthz")


def open_sessions(profiles, count):
    """`count` signed-in sessions per profile, opened before the runs so that no sign-in (Argon2, slow on
    purpose) is measured: {profile: [cookies, …]}."""
    import requests

    sessions = {}
    for profile, identifiant in profiles.items():
        if profile not in PROFILES:
            continue  # an object id used in paths
        login = (
            f"{HOST}/back-office/login/" if profile == "agent" else f"{HOST}/mon-compte-partenaire/connexion/"
        )
        sessions[profile] = []
        for _ in range(count):
            browser = requests.Session()
            browser.get(login)
            data = {
                "username": identifiant,
                "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            }
            response = browser.post(login, data, headers={"Referer": login}, allow_redirects=False)
            if response.status_code != 302:
                raise SystemExit(
                    f"connexion impossible pour {profile} ({identifiant}) : {response.status_code}"
                )
            sessions[profile].append(browser.cookies.get_dict())
    return sessions


def run_locust(page_name, users, seconds, profiles, sessions, workdir):
    prefix = Path(workdir) / f"run{abs(hash(page_name))}"
    env = {
        **os.environ,
        "BENCH_PAGE": page_name,
        "BENCH_USERS": json.dumps(profiles),
        "BENCH_SESSIONS": json.dumps(sessions),
    }
    subprocess.run(
        [BIN / "locust", "-f", ROOT / "bench" / "locustfile.py", "--headless", "--host", HOST,
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", prefix, "--only-summary",
         "--stop-timeout", "5", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    memory_kb = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    )
    import psycopg

    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"charge moyenne (1, 5, 15 min) en fin de mesure : {load} — "
        f"{os.cpu_count()} cœurs ({cpu}), {memory_kb // 1024 // 1024} Gio de mémoire, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, PostgreSQL {postgres} sur la même machine ; "
        f"gunicorn {WORKERS} workers synchrones et locust (1 processus) partagent ces cœurs ; sessions "
        + ("dans Redis (`cached_db`)" if "REDIS_URL" in SERVER_ENV else "en base")
    )


def table(results):
    floor_rps = float(results[FLOOR]["Requests/s"])
    admin_p95 = float(results[ADMIN_REFERENCE]["95%"]) if ADMIN_REFERENCE in results else None
    lines = [
        "| page | requêtes | échecs | p50 (ms) | p95 (ms) | p99 (ms) | req/s | part du plancher | cibles |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in PAGES:
        row = results.get(page.name)
        if row is None:
            lines.append(f"| {page.name} | — | — | — | — | — | — | — | non mesurée |")
            continue
        p95, rps = float(row["95%"]), float(row["Requests/s"])
        share = rps / floor_rps if floor_rps else 0
        misses = []
        if page.name != FLOOR:
            if p95 >= P95_TARGET_MS:
                misses.append("p95 ≥ 150 ms")
            if share < FLOOR_SHARE_TARGET:
                misses.append("< ¼ du plancher")
            if admin_p95 is not None and page.name != ADMIN_REFERENCE and p95 > admin_p95:
                misses.append("plus lente que le back-office")
        verdict = (
            "référence"
            if page.name in (FLOOR, ADMIN_REFERENCE) and not misses
            else ("✗ " + ", ".join(misses) if misses else "✓")
        )
        lines.append(
            f"| {page.name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} | "
            f"{row['99%']} | {rps:.1f} | {share:.2f} | {verdict} |"
        )
    return "\n".join(lines)


def write_readme(report):
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    before, rest = text.split(MARK_START, 1)
    after = rest.split(MARK_END, 1)[1]
    readme.write_text(f"{before}{MARK_START}\n{report}\n{MARK_END}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stress", action="store_true", help="toutes les pages, 100 utilisateurs, 60 s")
    parser.add_argument("--no-readme", action="store_true", help="n'écrit pas bench/README.md")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        help="ne mesure que les pages dont le nom contient ce texte (répétable ; le plancher est toujours mesuré)",
    )
    options = parser.parse_args()

    install_bench_dependencies()
    profiles, counts = prepare_database()
    say(f"profils : {profiles}")
    redis = start_redis()
    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            if options.stress:
                results = run_locust("*", 100, 60, profiles, open_sessions(profiles, 20), workdir)
                errors = {
                    name: row["Failure Count"] for name, row in results.items() if row["Failure Count"] != "0"
                }
                say(
                    f"stress : {results['Aggregated']['Request Count']} requêtes, échecs : {errors or 'aucun'}"
                )
                raise SystemExit(1 if errors else 0)
            sessions = open_sessions(profiles, USERS)
            results = {}
            chosen = [
                page
                for page in PAGES
                if not options.page or page.name == FLOOR or any(part in page.name for part in options.page)
            ]
            for page in chosen:
                say(f"{page.name} : {USERS} utilisateurs pendant {SECONDS} s")
                results.update(
                    {
                        k: v
                        for k, v in run_locust(page.name, USERS, SECONDS, profiles, sessions, workdir).items()
                        if k == page.name
                    }
                )
    finally:
        for process in (server, redis):
            if process is not None:
                process.terminate()
                process.wait(10)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data_set = ", ".join(f"{count:,} {label}".replace(",", " ") for label, count in counts.items())
    report = (
        f"Mesuré le {when} — {USERS} utilisateurs simultanés, {SECONDS} s par page, sans temps de réflexion.\n\n"
        f"Machine : {machine()}.\n\nDonnées : {data_set}.\n\n{table(results)}"
    )
    print(report)
    if not options.no_readme and not options.page:  # a partial run never replaces the recorded table
        write_readme(report)
        say("tableau écrit dans bench/README.md")


if __name__ == "__main__":
    main()
