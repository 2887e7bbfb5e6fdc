"""`python -m deploy.security` (make security): starts the topology, finds the targets, probes them, stops
everything; prints the count of targets and findings and exits 1 on any finding.

The ports and the database are chosen here, before deploy.smoke.base reads them, so that a `make smoke`
(18xxx, portail_smoke) can run at the same time."""

import os

# Set, not defaulted: a shell's SMOKE_* meant for `make smoke` must not move this run onto its ports.
os.environ["SMOKE_PORT_BASE"] = os.environ.get("SECURITY_PORT_BASE", "9900")
os.environ["SMOKE_NGINX_PORT"] = str(int(os.environ["SMOKE_PORT_BASE"]) + 80)
os.environ["SMOKE_DATABASE_URL"] = os.environ.get(
    "SECURITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_security"
)

import argparse  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode, urlsplit  # noqa: E402

from deploy.smoke.base import NGINX, NGINX_PORT, REDIS_SERVER, SmokeTimeout  # noqa: E402
from deploy.smoke.topology import Topology  # noqa: E402

from . import sqli, xss  # noqa: E402
from .targets import PROFILES, crawl, sign_in, signed_in  # noqa: E402

# The whole run, seconds: the topology and the XSS probe (~10 min), then up to 80 targets at sqlmap's bound.
RUN_TIMEOUT = 900 + 80 * sqli.TARGET_TIMEOUT


class Run:
    def __init__(self):
        self.browsers = {}
        self.findings = []
        self.targets = []
        self.exports = {}
        self.unfinished = []
        self.origins = {}  # payload number → the form and field that wrote it

    def browser(self, profile):
        """The profile's signed-in browser, signed in again if a probe ended its session."""
        name, _identifiant, _start, check_path = profile
        if name not in self.browsers or not signed_in(self.browsers[name], check_path):
            self.browsers[name] = sign_in(profile)
        return self.browsers[name]

    def browser_for(self, profile, target):
        """The profile's browser, or None (the target noted as not concluded) if it can no longer sign in."""
        try:
            return self.browser(profile)
        except AssertionError as error:
            self.unfinished.append(f"{target.label} : {error}")
            print(f"?      {target.label} — {error}", flush=True)
            return None

    def discover(self):
        for profile in PROFILES:
            name, _identifiant, start, _check = profile
            pages, targets, exports = crawl(self.browser(profile), name, start)
            self.targets += targets
            self.exports[name] = exports
            print(
                f"       {name} : {len(pages)} pages, {len(targets)} formulaires, {len(exports)} exports",
                flush=True,
            )

    def write_payloads(self):
        number, written = 0, 0
        profiles = {profile[0]: profile for profile in PROFILES}
        for target in self.targets:
            for field in target.text_fields:
                number += 1
                browser = self.browser_for(profiles[target.profile], target)
                if browser is None:
                    break
                fields = xss.submission(target, field, number)
                self.origins[number] = f"{target.label} [{field}]"
                browser.last_path = target.page
                if target.method == "get":
                    response = browser.get(f"{urlsplit(target.action).path}?{urlencode(fields)}")
                else:
                    response = browser.post(target.action, fields)
                written += 1
                self.found(xss.html_findings(f"{target.label} [{field}]", response))
                if response.status_code >= 500:
                    self.found([f"{target.label} [{field}] : réponse {response.status_code}"])
        return written

    def read_back(self):
        seen = set()
        pages = 0

        def on_page(path, response):
            nonlocal pages
            pages += 1
            self.found(xss.html_findings(path, response))
            if "html" in response.headers.get("Content-Type", ""):
                seen.update(xss.markers(response.text))

        exports = 0
        for profile in PROFILES:
            name, _identifiant, start, _check = profile
            _pages, _targets, found_exports = crawl(self.browser(profile), name, start, on_page)
            for path in sorted({**self.exports[name], **found_exports}.values()):
                response = self.browser(profile).get(path)
                exports += 1
                if response.status_code != 200:
                    self.found([f"{name} · export {path} : réponse {response.status_code}"])
                    continue
                self.found(xss.export_findings(f"{name} · export {path}", response))
                seen.update(xss.markers(response.content.decode("utf-8", errors="replace")))
        return pages, exports, len(seen)

    def sql_injection(self, output_dir):
        profiles = {profile[0]: profile for profile in PROFILES}
        for index, target in enumerate(self.targets, 1):
            browser = self.browser_for(profiles[target.profile], target)
            if browser is None:
                continue
            cookies = {cookie.name: cookie.value for cookie in browser.session.cookies}
            started = time.monotonic()
            status, detail = sqli.probe(target, cookies, output_dir)
            elapsed = time.monotonic() - started
            label = f"{index}/{len(self.targets)} {target.label} ({len(target.probed_fields)} paramètres)"
            if status == "injection":
                self.found([f"sqlmap : {target.label} — {detail}"])
                print(f"ÉCHEC  {label} — injection SQL : {detail}", flush=True)
            elif status == "propre":
                print(f"ok     {label} ({elapsed:.0f} s)", flush=True)
            else:
                self.unfinished.append(f"{target.label} : {status} {detail}")
                print(f"?      {label} — {status} {detail}", flush=True)

    def found(self, findings):
        for finding in findings:
            origin = re.search(rf"{xss.MARK}(\d+)", finding)
            if origin and int(origin.group(1)) in self.origins:
                finding += f" ← écrite par {self.origins[int(origin.group(1))]}"
            if finding not in self.findings:
                self.findings.append(finding)
                print(f"ÉCHEC  {finding}", flush=True)


def main():
    parser = argparse.ArgumentParser(prog="python -m deploy.security")
    parser.add_argument("--sans-sqlmap", action="store_true", help="la sonde XSS seule (quelques minutes)")
    parser.add_argument("--cibles", action="store_true", help="liste les cibles trouvées, sans les sonder")
    options = parser.parse_args()
    for tool in (NGINX, REDIS_SERVER, sqli.SQLMAP):
        if not os.access(tool, os.X_OK):
            print(f"ERREUR : {tool} absent (apt-get install nginx-light redis-server ; make install)")
            return 2

    def on_timeout(signum, frame):
        raise SmokeTimeout(f"plus de {RUN_TIMEOUT} s")

    signal.signal(signal.SIGALRM, on_timeout)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.alarm(RUN_TIMEOUT)
    started = time.monotonic()
    topology = Topology()
    run = Run()
    failed = False
    try:
        print(
            f"== topologie sur :{NGINX_PORT}, base {topology.db_name}, journaux dans {topology.tmp}",
            flush=True,
        )
        topology.start()
        print("== cibles : chaque profil suit chaque lien qu'il atteint", flush=True)
        run.discover()
        print(f"== {len(run.targets)} cibles (formulaires GET de filtre et POST)", flush=True)
        if options.cibles:
            for target in run.targets:
                print(f"       {target.label} : {', '.join(target.probed_fields)}", flush=True)
            return finish(run, topology, started, failed)
        print("== XSS : une charge dans chaque champ texte, par le formulaire", flush=True)
        written = run.write_payloads()
        pages, exports, stored = run.read_back()
        print(
            f"       {written} envois ; relu {pages} pages et {exports} exports ; {stored} charges revues",
            flush=True,
        )
        if options.sans_sqlmap:
            return finish(run, topology, started, failed)
        print(f"== sqlmap : chaque cible, {sqli.TARGET_TIMEOUT} s au plus chacune", flush=True)
        run.sql_injection(topology.tmp / "sqlmap")
    except SmokeTimeout as error:
        failed = True
        print(f"ÉCHEC  délai dépassé — {error}", flush=True)
    except KeyboardInterrupt:
        failed = True
        print("ÉCHEC  interrompu", flush=True)
    except Exception as error:  # noqa: BLE001 (a fault of the script itself: still stop everything)
        failed = True
        print(f"ÉCHEC  erreur de la sonde — {type(error).__name__}: {error}", flush=True)
    finally:
        signal.alarm(0)
    return finish(run, topology, started, failed)


def finish(run, topology, started, failed):
    topology.stop_all()
    if failed or run.findings:
        print(f"journaux gardés dans {topology.tmp}", flush=True)
    else:
        shutil.rmtree(topology.tmp, ignore_errors=True)
    for line in run.unfinished:
        print(f"non conclu : {line}", flush=True)
    print(f"(en {time.monotonic() - started:.0f} s)", flush=True)
    print(
        f"{len(run.targets)} cibles, {len(run.findings)} constats, {len(run.unfinished)} non conclues",
        flush=True,
    )
    return 1 if failed or run.findings else 0


if __name__ == "__main__":
    sys.exit(main())
