"""One page of bench/pages.py under load: BENCH_PAGE names it (or "*": each user takes the next page), BENCH_USERS (JSON) gives the identifiants
of the profiles, BENCH_SESSIONS their signed-in session cookies (opened by run.py, so no sign-in is
measured). Each simulated user takes a session of the page's profile and requests the page in a loop
with no think time: a closed loop measuring the server's throughput."""

import itertools
import json
import os
import sys

from locust import HttpUser, constant, task

sys.path.insert(0, os.path.dirname(__file__))
from pages import PAGES, page_named  # noqa: E402

CHOSEN = os.environ["BENCH_PAGE"]
NEXT_PAGE = itertools.cycle(PAGES)
USERS = json.loads(os.environ.get("BENCH_USERS", "{}"))
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))  # opened by run.py: sign-in is not measured
SESSION_NUMBER = itertools.count()


class PortalUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.page_to_load = next(NEXT_PAGE) if CHOSEN == "*" else page_named(CHOSEN)
        profile = self.page_to_load.profile
        if profile is not None:
            self.client.cookies.update(SESSIONS[profile][next(SESSION_NUMBER) % len(SESSIONS[profile])])

    @task
    def page(self):
        page = self.page_to_load
        path = page.path.format(**USERS)
        if page.method == "post":
            data = {**page.data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
            self.client.post(path, data, headers={"Referer": self.host + path}, name=page.name)
        else:
            self.client.get(path, name=page.name)
