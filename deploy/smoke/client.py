"""The browser of a user behind the TLS terminator, and reading the forms of a page."""

import base64
import html
import html.parser
import re
import time

import requests
from requests.adapters import HTTPAdapter

from .base import CLIENT_ADDR, LOOPBACK, NGINX_PORT, PUBLIC_HOST, ROOT, SITE_URL


class SourceAddressAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT_ADDR, 0)
        super().init_poolmanager(*args, **kwargs)


class FormParser(html.parser.HTMLParser):
    """The forms of a page: their action, the values a browser would send as they stand and the kind of each
    field (`types`: the input's type, "textarea" or "select")."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.in_option = [], None, None, None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": [],
                "choices": {},
                "types": {},
            }
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            name = attrs["name"]
            self.form["types"].setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                self.form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset"):
                self.form["fields"].append((name, attrs.get("value", "")))
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]
            self.form["types"][attrs["name"]] = "textarea"
        elif tag == "select":
            self.select = {"name": attrs.get("name"), "first": None, "selected": None}
            self.form["types"][attrs.get("name")] = "select"
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.form["choices"].setdefault(self.select["name"], []).append(value)
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["selected"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form["fields"].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            value = self.select["selected"] if self.select["selected"] is not None else self.select["first"]
            if value is not None:
                self.form["fields"].append((self.select["name"], value))
            self.select = None
        elif tag == "form":
            self.form = None


def forms(page):
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def post_forms(page):
    return [form for form in forms(page) if form["method"] == "post"]


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
        """The one sign-in of the scripts: the password, then, when the answer is a second-step page (a form
        asking for a code and no password), the current code of the demo's TOTP secret."""
        response, _ = self.submit(
            "/mon-compte-partenaire/connexion/", {"username": identifiant, "password": password}
        )
        form = second_step_form(response.text) if response.status_code == 200 else None
        if form is None:
            return response
        fields = [(name, value) for name, value in form["fields"] if name != form["code"]]
        wait_for_unused_step(identifiant)
        fields.append((form["code"], demo_totp_code()))
        self.last_path = response.url.removeprefix(self.url("")).removeprefix(SITE_URL) or "/"
        return self.post(form["action"] or self.last_path, fields)


# The field of a second-step page: a code, a token or an OTP (django-otp's forms name it `otp_token`).
CODE_FIELD = re.compile(r"(^|_)(otp|code|token)($|_)", re.I)


def second_step_form(page):
    """The page's POST form asking for a code and no password, with the name of its code field, or None."""
    for form in post_forms(page):
        names = [name for name, _value in form["fields"]]
        codes = [name for name in names if CODE_FIELD.search(name) and name != "csrfmiddlewaretoken"]
        if codes and not any("password" in name for name in names):
            return {**form, "code": codes[0]}
    return None


TOTP_STEP = 30  # seconds (RFC 6238's default, django-otp's)
_last_step_used = {}


def wait_for_unused_step(identifiant):
    """A code is refused once used (replay): a second sign-in of the same account within one 30-second step
    waits for the next step, as a person would wait for their app's next code."""
    last = _last_step_used.get(identifiant)
    if last is not None and int(time.time() // TOTP_STEP) <= last:
        time.sleep((last + 1) * TOTP_STEP - time.time() + 0.2)
    _last_step_used[identifiant] = int(time.time() // TOTP_STEP)


def demo_totp_code():
    """The current code of DEMO_TOTP_SECRET (devtools/builders.py), read from the file: the scripts run
    without Django's settings."""
    source = (ROOT / "devtools" / "builders.py").read_text()
    match = re.search(r"""DEMO_TOTP_SECRET\s*=\s*["']([^"']+)["']""", source)
    assert match, "devtools/builders.py : DEMO_TOTP_SECRET introuvable pour la seconde étape"
    return totp_code(match.group(1))


def totp_code(secret):
    """RFC 6238's current code of a secret in hex (django-otp's TOTPDevice.key) or in base32 (a QR code's)."""
    from django_otp.oath import totp

    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", secret):
        key = bytes.fromhex(secret)
    else:
        key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def signed_in_page(response, who="BERNARD"):
    return response.status_code == 200 and who in response.text and "/connexion/" not in response.url


def form_choice_default(browser, path, name):
    form = main_form(browser.get(path).text)
    return dict(form["fields"]).get(name) or form["choices"][name][0]


def error_text(page):
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", e).strip() for e in errors if e.strip())[:300]
