"""One page of bench/pages.py under load: BENCH_PAGE names it (or "*": each user takes the next page), BENCH_USERS (JSON) gives the identifiants
of the profiles, BENCH_SESSIONS their signed-in session cookies (opened by run.py, so no sign-in is
measured). Each simulated user takes a session of the page's profile and requests the page in a loop
with no think time: a closed loop measuring the server's throughput. The users are FastHttpUser
(geventhttpclient): locust shares the server's cores, and python-requests' HttpUser cost it about three
times the CPU per request (bench/README.md, « Le client de charge »). The server's own cost of each
response (its Server-Timing header, bench/middleware.py) is written at the end to BENCH_TIMINGS (JSON:
{page: [[cpu ms, queries, SQL ms], …]})."""

import itertools
import json
import os
import sys
from collections import defaultdict

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

sys.path.insert(0, os.path.dirname(__file__))
from pages import PAGES, draft_data, draft_version_in, page_named  # noqa: E402
from timing import HEADER, parse  # noqa: E402

CHOSEN = os.environ["BENCH_PAGE"]
NEXT_PAGE = itertools.cycle(PAGES)
USERS = json.loads(os.environ.get("BENCH_USERS", "{}"))
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))  # opened by run.py: sign-in is not measured
SESSION_NUMBER = itertools.count()
TIMINGS = defaultdict(list)


@events.request.add_listener
def record_server_timing(name, response=None, exception=None, **kwargs):
    timing = parse(response.headers.get(HEADER)) if response is not None and exception is None else {}
    if "cpu" in timing:
        TIMINGS[name].append([timing["cpu"], timing.get("queries"), timing.get("sql")])


@events.quitting.add_listener
def write_timings(**kwargs):
    if os.environ.get("BENCH_TIMINGS"):
        with open(os.environ["BENCH_TIMINGS"], "w") as output:
            json.dump(TIMINGS, output)


class PortalUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.page_to_load = next(NEXT_PAGE) if CHOSEN == "*" else page_named(CHOSEN)
        profile = self.page_to_load.profile
        number = next(SESSION_NUMBER)
        if profile is not None:
            host = self.host.split("//", 1)[1].split(":", 1)[0]
            for name, value in SESSIONS[profile][number % len(SESSIONS[profile])].items():
                self.client.cookiejar.set_cookie(create_cookie(name, value, domain=host))
        if self.page_to_load.draft:
            parts = USERS["draft_parts"]
            self.declaration, self.part, self.version = parts[number % len(parts)]

    def csrf_token(self):
        return next((cookie.value for cookie in self.client.cookiejar if cookie.name == "csrftoken"), "")

    def save_draft(self, page):
        """Saves this user's part with its version, as the form does; a 409 (another simulated user on
        the same part) gives the current version back in the page."""
        path = page.path.format(declaration=self.declaration, part=self.part)
        data = {
            **draft_data(self.part, self.version),
            "csrfmiddlewaretoken": self.csrf_token(),
        }
        headers = {"Referer": self.host + path}
        with self.client.post(
            path, data, headers=headers, name=page.name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                self.version += 1
                response.success()
            elif response.status_code == 409:
                self.version = draft_version_in(self.part, response.text) or self.version
                response.success()
            else:
                response.failure(f"statut {response.status_code}")

    @task
    def page(self):
        page = self.page_to_load
        if page.draft:
            self.save_draft(page)
            return
        path = page.path.format(**USERS)
        if page.method == "post":
            data = {**page.data, "csrfmiddlewaretoken": self.csrf_token()}
            self.client.post(path, data, headers={"Referer": self.host + path}, name=page.name)
        else:
            self.client.get(path, name=page.name)
