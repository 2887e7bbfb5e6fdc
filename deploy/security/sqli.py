"""sqlmap on one target, with the session of its profile, bounded in time."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from deploy.smoke.base import LOOPBACK, NGINX_PORT, PUBLIC_HOST, SITE_URL

SQLMAP = str(Path(sys.executable).parent / "sqlmap")
# Seconds per target (the whole sqlmap run on that form): a form of 10 parameters or more, or one that
# sends a mail on each request, may need more (then « non conclue », not a finding).
TARGET_TIMEOUT = int(os.environ.get("SECURITY_TARGET_TIMEOUT", 60))
# Boolean-based blind only, level 1, risk 1: what a request-per-parameter budget allows on every form;
# error-based and UNION need the page to show a database error or a column, which the portal never does
# (DEBUG off), and time-based needs seconds per request.
OPTIONS = [
    "--batch",
    "--technique=B",
    "--level=1",
    "--risk=1",
    "--time-sec=1",
    "--timeout=10",
    "--retries=1",
    "--threads=2",
    "--dbms=PostgreSQL",
    "--drop-set-cookie",  # the session stays the profile's own
    "--disable-coloring",
    "--flush-session",
    "--skip-waf",
    "-v",
    "1",
]
INJECTION = re.compile(r"sqlmap identified the following injection point|is vulnerable\. Do you want")


def command(target, cookies, output_dir):
    url = f"http://{LOOPBACK}:{NGINX_PORT}"
    if target.method == "get":
        path = urlsplit(target.action).path
        url += f"{path}?{urlencode(target.fields)}"
    else:
        url += target.action
    argv = [
        SQLMAP,
        "-u",
        url,
        "-p",
        ",".join(target.probed_fields),
        "--cookie",
        "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "-H",
        f"Host: {PUBLIC_HOST}",
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        f"Referer: {SITE_URL}{target.page}",
        "--output-dir",
        str(output_dir),
        *OPTIONS,
    ]
    if target.method == "post":
        argv += ["--method=POST", "--data", urlencode(target.fields)]
    return argv


def probe(target, cookies, output_dir):
    """("propre" | "injection" | "délai" | "erreur", detail)."""
    try:
        result = subprocess.run(
            command(target, cookies, output_dir),
            capture_output=True,
            text=True,
            timeout=TARGET_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        out = error.stdout.decode() if isinstance(error.stdout, bytes) else (error.stdout or "")
        if INJECTION.search(out):
            return "injection", last_lines(out)
        return "délai", f"plus de {TARGET_TIMEOUT} s"
    out = result.stdout + result.stderr
    if INJECTION.search(out):
        return "injection", last_lines(out)
    if "do not appear to be injectable" in out or "does not seem to be injectable" in out:
        return "propre", ""
    return "erreur", last_lines(out)


def last_lines(out, count=6):
    lines = [line for line in out.splitlines() if line.strip() and "legal disclaimer" not in line]
    return " ⏎ ".join(lines[-count:])[:600]
