#!/usr/bin/env python3
"""`make bench`: the portal as in production (gunicorn, DEBUG off, PostgreSQL with the national data set),
each page of bench/pages.py under 20 simulated users for a bounded time (locust, headless, loopback only),
then a Markdown table in bench/README.md and on stdout.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portail_bench, created and
filled by generate_volume when empty), BENCH_USERS (20), BENCH_SECONDS (20 per page), BENCH_WORKERS
(gunicorn workers, default 2 per core), BENCH_PORT (8096), BENCH_REDIS (1: sessions in a private
redis-server on loopback, as in production, when the machine has one; 0: in the database). `--stress`: every page at once, 100 users for
60 seconds, fails on any 5xx. `--quick` (`make bench-quick`): no server, no load: each page requested
in-process (bench/quick.py), the same table with the server's CPU ms and queries per page.

Every response carries the server's CPU ms and SQL queries (Server-Timing, bench/middleware.py, in the
benchmark's settings only): the table gives their median and p90 per page, and each page's CPU against
the floor (/healthz) and the back-office changelist measured in the same run."""

import argparse
import csv
import json
import math
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
MARK_QUICK_START, MARK_QUICK_END = "<!-- bench:quick -->", "<!-- /bench:quick -->"
MARK_IMPORT_START, MARK_IMPORT_END = "<!-- bench:import -->", "<!-- /bench:import -->"
MARK_USERS_START, MARK_USERS_END = "<!-- bench:import-users -->", "<!-- /bench:import-users -->"

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


def migrated_database():
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            say(f"base {name} créée")
    manage("migrate", "--noinput", "-v0")


def prepare_database():
    migrated_database()
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
    """locust's CSV rows by request name; each row's "timings" are the [CPU ms, queries, SQL ms] of the server's
    Server-Timing headers for that name."""
    prefix = Path(workdir) / f"run{abs(hash(page_name))}"
    timings = Path(f"{prefix}_timings.json")
    env = {
        **os.environ,
        "BENCH_PAGE": page_name,
        "BENCH_USERS": json.dumps(profiles),
        "BENCH_SESSIONS": json.dumps(sessions),
        "BENCH_TIMINGS": str(timings),
    }
    subprocess.run(
        [BIN / "locust", "-f", ROOT / "bench" / "locustfile.py", "--headless", "--host", HOST,
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", prefix, "--only-summary",
         "--stop-timeout", "5", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    by_name = json.loads(timings.read_text()) if timings.exists() else {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {
            row["Name"]: {**row, "timings": by_name.get(row["Name"], [])} for row in csv.DictReader(stats)
        }


def run_quick(profiles, chosen, workdir):
    """bench/quick.py in the benchmark's environment (in-process, no server): {page: figures}."""
    given, measured = Path(workdir) / "profiles.json", Path(workdir) / "quick.json"
    given.write_text(json.dumps(profiles))
    subprocess.run(
        [BIN / "python", ROOT / "bench" / "quick.py", given, measured, *(page.name for page in chosen)],
        cwd=ROOT,
        env=SERVER_ENV,
        check=True,
    )
    return {name: from_quick(figures) for name, figures in json.loads(measured.read_text()).items()}


def run_import(workdir, script="import_lines.py"):
    """bench/import_lines.py (or import_users.py) in the benchmark's environment: the import of 10,000
    lines, timed."""
    measured = Path(workdir) / f"{script}.json"
    subprocess.run([BIN / "python", ROOT / "bench" / script, measured], cwd=ROOT, env=SERVER_ENV, check=True)
    return json.loads(measured.read_text())


def seconds(value):
    return f"{value:.1f}".replace(".", ",") + " s"


def count(value):
    return f"{value:,}".replace(",", "\u202f")


def import_report(figures):
    return _import_sentence(
        figures,
        f"{count(figures['lines'])} lignes de données d'activité ({count(figures['parts'])} parties, "
        f"fichier CSV de {count(figures['file_bytes'] // 1024)} Kio)",
        ("application", "apply_s"),
        "les fonctions des deux tâches appelées directement.",
    )


def users_import_report(figures):
    return _import_sentence(
        figures,
        f"{count(figures['lines'])} utilisateurs (fichier CSV de {count(figures['file_bytes'] // 1024)} Kio, "
        f"{count(figures['created'])} comptes créés)",
        ("création (nouveau contrôle compris)", "create_s"),
        "les deux tâches appelées directement, les mails mis en file dans la base (jamais envoyés : tout "
        "est annulé à la fin).",
    )


def _import_sentence(figures, what, last_step, how):
    """One import's line of the README: read, check, then its last step (apply or create), and the total."""
    last_name, last_key = last_step
    total = figures["read_s"] + figures["check_s"] + figures[last_key]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = machine(quick=True).split(" ; un seul", 1)[0]
    return (
        f"Mesuré le {when} — import de {what} : lecture {seconds(figures['read_s'])}, "
        f"contrôle {seconds(figures['check_s'])}, {last_name} {seconds(figures[last_key])}, "
        f"**total {seconds(total)}** (préparation des données, non comptée : {seconds(figures['build_s'])}).\n\n"
        f"Machine : {where} ; un seul processus, {how}"
    )


def record_import(options):
    say("import de 10 000 lignes de données d'activité")
    with tempfile.TemporaryDirectory() as workdir:
        report = import_report(run_import(workdir))
    print(report)
    if not options.no_readme:
        write_readme(report, (MARK_IMPORT_START, MARK_IMPORT_END))
    say("import de 10 000 utilisateurs")
    with tempfile.TemporaryDirectory() as workdir:
        report = users_import_report(run_import(workdir, "import_users.py"))
    print(report)
    if not options.no_readme:
        write_readme(report, (MARK_USERS_START, MARK_USERS_END))


def machine(quick=False):
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
        + (
            "un seul processus Django (Client de test)"
            if quick
            else f"gunicorn {WORKERS} workers synchrones et locust (1 processus) partagent ces cœurs"
        )
        + " ; sessions "
        + (
            "et utilisateur connecté dans Redis (`cached_db`, `USER_CACHE`)"
            if "REDIS_URL" in SERVER_ENV
            else "en base"
        )
    )


def percentile(values, share):
    """Nearest-rank percentile of a list of numbers (None if empty)."""
    ordered = sorted(value for value in values if value is not None)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def from_locust(row, timings):
    """A page's figures from locust's CSV row and the Server-Timing headers of its responses."""
    return {
        "count": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "rps": float(row["Requests/s"]),
        "cpu": [timing[0] for timing in timings],
        "queries": [timing[1] for timing in timings],
        "sql": [timing[2] if len(timing) > 2 else None for timing in timings],
    }


def from_quick(measured):
    """A page's figures from bench/quick.py: in-process wall times, no throughput."""
    walls = measured["walls"]
    return {
        "count": len(walls),
        "failures": measured["failures"],
        "p50": percentile(walls, 0.5),
        "p95": percentile(walls, 0.95),
        "p99": percentile(walls, 0.99),
        "rps": None,
        "cpu": [timing[0] for timing in measured["timings"]],
        "queries": [timing[1] for timing in measured["timings"]],
        "sql": [timing[2] if len(timing) > 2 else None for timing in measured["timings"]],
    }


def number(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")


def queries_text(queries):
    known = [count for count in queries if count is not None]
    if not known:
        return "—"
    low, high = min(known), max(known)
    return str(low) if low == high else f"{low}–{high}"


def table(results, under_load=True, partial=False):
    """The Markdown table: latency, throughput (under load), the server's CPU ms per request (median,
    p90) and SQL queries, each page's CPU against the floor and the back-office changelist of the same run,
    and the targets missed. A partial run (--page) leaves out the pages it did not measure."""
    floor, admin = results.get(FLOOR), results.get(ADMIN_REFERENCE)
    floor_rps = floor["rps"] if floor else None
    floor_cpu = percentile(floor["cpu"], 0.5) if floor else None
    admin_cpu = percentile(admin["cpu"], 0.5) if admin else None
    admin_p95 = admin["p95"] if admin else None
    lines = [
        "| page | requêtes | échecs | p50 (ms) | p95 (ms) | p99 (ms) | req/s | part du plancher "
        "| CPU (ms, médiane) | CPU (ms, p90) | requêtes SQL | SQL (ms, médiane) | CPU ÷ plancher | CPU ÷ back-office "
        "| cibles |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in PAGES:
        row = results.get(page.name)
        if row is None and partial:
            continue
        if row is None:
            lines.append(f"| {page.name} |" + " — |" * 13 + " non mesurée |")
            continue
        cpu, cpu_p90 = percentile(row["cpu"], 0.5), percentile(row["cpu"], 0.9)
        share = row["rps"] / floor_rps if row["rps"] is not None and floor_rps else None
        queries = max((count for count in row["queries"] if count is not None), default=None)
        misses = []
        if page.name != FLOOR:
            if under_load and row["p95"] >= P95_TARGET_MS:
                misses.append("p95 ≥ 150 ms")
            if under_load and share is not None and share < FLOOR_SHARE_TARGET:
                misses.append("< ¼ du plancher")
            if page.name != ADMIN_REFERENCE and page.profile != "agent":
                if under_load and admin_p95 is not None and row["p95"] > admin_p95:
                    misses.append("plus lente que le back-office")
                if not under_load and admin_cpu is not None and cpu is not None and cpu > admin_cpu:
                    misses.append("plus coûteuse que le back-office")
        if page.budget is not None:
            budget_ms, budget_queries = page.budget
            if cpu is not None and cpu > budget_ms:
                misses.append(f"CPU > {budget_ms} ms")
            if budget_queries is not None and queries is not None and queries > budget_queries:
                misses.append(f"> {budget_queries} requêtes SQL")
        if row["failures"]:
            misses.append("échecs")
        verdict = (
            "référence"
            if page.name in (FLOOR, ADMIN_REFERENCE) and not misses
            else ("✗ " + ", ".join(misses) if misses else "✓")
        )
        cells = [
            page.name,
            str(row["count"]),
            str(row["failures"]),
            number(row["p50"], 0),
            number(row["p95"], 0),
            number(row["p99"], 0),
            number(row["rps"]),
            number(share, 2),
            number(cpu),
            number(cpu_p90),
            queries_text(row["queries"]),
            number(percentile(row.get("sql", []), 0.5)),
            number(cpu / floor_cpu if cpu is not None and floor_cpu else None),
            number(cpu / admin_cpu if cpu is not None and admin_cpu else None, 2),
            verdict,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_readme(report, marks=(MARK_START, MARK_END)):
    start, end = marks
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n{report}\n{end}{after}")


def chosen_pages(names):
    """The pages whose name contains one of these texts (all if none), with the floor and the back-office
    reference always: the ratios are to them, measured in the same run."""
    return [
        page
        for page in PAGES
        if not names or page.name in (FLOOR, ADMIN_REFERENCE) or any(part in page.name for part in names)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stress", action="store_true", help="toutes les pages, 100 utilisateurs, 60 s")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CPU par requête mesuré en processus (Client de test de Django), sans charge ni gunicorn",
    )
    parser.add_argument("--no-readme", action="store_true", help="n'écrit pas bench/README.md")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="ne mesure que les imports de 10 000 lignes (données d'activité, utilisateurs)",
    )
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        help="ne mesure que les pages dont le nom contient ce texte (répétable ; le plancher et le back-office "
        "de référence sont toujours mesurés)",
    )
    options = parser.parse_args()
    chosen = chosen_pages(options.page)

    if options.import_only:  # builds its own data: the national data set is not needed
        migrated_database()
        record_import(options)
        return

    if options.quick:
        profiles, counts = prepare_database()
        started = time.monotonic()
        # Sessions, the signed-in user's row and the rights in a private Redis, as in production.
        redis = start_redis()
        try:
            with tempfile.TemporaryDirectory() as workdir:
                results = run_quick(profiles, chosen, workdir)
        finally:
            if redis is not None:
                redis.terminate()
                redis.wait(10)
        heading = (
            f"en processus (`--quick` : Client de test de Django, une requête à la fois, sans charge), "
            f"{len(chosen)} pages en {time.monotonic() - started:.0f} s ; p50/p95/p99 : durée dans le processus"
        )
        report_and_record(options, heading, results, counts, quick=True)
        SERVER_ENV.pop("REDIS_URL", None)  # stopped: the import runs without it
        if not options.page:
            record_import(options)
        return

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
            for page in chosen:
                say(f"{page.name} : {USERS} utilisateurs pendant {SECONDS} s")
                rows = run_locust(page.name, USERS, SECONDS, profiles, sessions, workdir)
                if page.name in rows:
                    results[page.name] = from_locust(rows[page.name], rows[page.name]["timings"])
    finally:
        for process in (server, redis):
            if process is not None:
                process.terminate()
                process.wait(10)
    heading = f"{USERS} utilisateurs simultanés, {SECONDS} s par page, sans temps de réflexion"
    report_and_record(options, heading, results, counts)
    if not options.page:
        record_import(options)


def report_and_record(options, heading, results, counts, quick=False):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data_set = ", ".join(f"{count:,} {label}".replace(",", " ") for label, count in counts.items())
    report = (
        f"Mesuré le {when} — {heading}.\n\n"
        f"Machine : {machine(quick)}.\n\nDonnées : {data_set}.\n\n{table(results, under_load=not quick, partial=bool(options.page))}"
    )
    print(report)
    if not options.no_readme and not options.page:  # a partial run never replaces the recorded table
        write_readme(report, (MARK_QUICK_START, MARK_QUICK_END) if quick else (MARK_START, MARK_END))
        say("tableau écrit dans bench/README.md")


if __name__ == "__main__":
    main()
