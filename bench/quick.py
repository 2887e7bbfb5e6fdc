"""`make bench-quick` (bench/run.py --quick): each page of bench/pages.py requested in-process, one after
the other, through Django's test Client on the benchmark's settings (no load, no gunicorn): the server's
CPU ms and SQL queries per request read from the Server-Timing header (bench/middleware.py), and the
in-process wall time. Run by run.py in the benchmark's environment:

    python bench/quick.py PROFILES.json RESULTS.json [page name …]

Each page: one request to warm it up (templates, connection), then up to BENCH_QUICK_REQUESTS (15)
measured requests, fewer for a page whose requests have taken BENCH_QUICK_SECONDS (3) in all, never fewer
than 3 (a median of three); a page whose warm-up alone took longer than that is measured by it alone (a
page of several seconds is not noise, and three more would take minutes). BENCH_PROFILE=DIR: the measured requests of each page run under cProfile,
written to DIR/<page>.prof (`python -m pstats`); the CPU figures are then the profiler's, not the page's."""

import cProfile
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from pages import PAGES, PROFILES, draft_data, draft_version_in  # noqa: E402
from timing import HEADER, parse  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_QUICK_REQUESTS", "15"))
SECONDS = float(os.environ.get("BENCH_QUICK_SECONDS", "3"))
MINIMUM = 3


def clients(profiles):
    """One signed-in test Client per profile (force_login: no Argon2), and one anonymous."""
    from django.test import Client

    from accounts.models import User

    signed_in = {None: Client(HTTP_HOST="127.0.0.1")}
    for profile in PROFILES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(
            User.objects.get(identifiant=profiles[profile]), backend="accounts.backends.OpenUserBackend"
        )
        signed_in[profile] = client
    return signed_in


class DraftSaver:
    """A draft save as the locustfile does it: one part, its version carried from save to save."""

    def __init__(self, page, profiles):
        self.page = page
        self.declaration, self.part, self.version = profiles["draft_parts"][0]

    def __call__(self, client):
        path = self.page.path.format(declaration=self.declaration, part=self.part)
        response = client.post(path, draft_data(self.part, self.version))
        if response.status_code == 302:
            self.version += 1
        elif response.status_code == 409:
            self.version = draft_version_in(self.part, response.content.decode()) or self.version
        return response


def requester(page, profiles):
    if page.draft:
        return DraftSaver(page, profiles)
    path = page.path.format(**profiles)
    if page.method == "post":
        return lambda client: client.post(path, page.data)
    return lambda client: client.get(path)


def measure(page, client, request, profiler=None):
    walls, timings, failures = [], [], 0

    def record(response, wall):
        nonlocal failures
        walls.append(wall * 1000)
        failures += response.status_code >= 400 and response.status_code != 409
        timing = parse(response.get(HEADER))
        timings.append([timing.get("cpu"), timing.get("queries"), timing.get("sql")])

    started = time.perf_counter()
    warm_up = request(client)
    if time.perf_counter() - started > SECONDS:
        record(warm_up, time.perf_counter() - started)
        return {"walls": walls, "timings": timings, "failures": failures}
    started = time.perf_counter()
    while len(walls) < REQUESTS and (len(walls) < MINIMUM or time.perf_counter() - started < SECONDS):
        before = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        response = request(client)
        if profiler is not None:
            profiler.disable()
        record(response, time.perf_counter() - before)
    return {"walls": walls, "timings": timings, "failures": failures}


def main():
    import django

    django.setup()
    profiles = json.loads(Path(sys.argv[1]).read_text())
    wanted = sys.argv[3:]
    by_profile = clients(profiles)
    results = {}
    for page in PAGES:
        if wanted and page.name not in wanted:
            continue
        print(f"[bench] {page.name}", flush=True)
        profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
        results[page.name] = measure(page, by_profile[page.profile], requester(page, profiles), profiler)
        if profiler is not None:
            slug = re.sub(r"[^a-z0-9]+", "-", page.name.lower()).strip("-")
            profiler.dump_stats(Path(os.environ["BENCH_PROFILE"]) / f"{slug}.prof")
    Path(sys.argv[2]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
