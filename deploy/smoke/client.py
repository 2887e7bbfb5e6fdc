"""The browser of a user behind the TLS terminator, and reading the forms of a page."""

import html
import html.parser
import re
import time
from base64 import b32decode

import requests
from django_otp.oath import TOTP
from requests.adapters import HTTPAdapter

from .base import CLIENT_ADDR, DEMO_TOTP_SECRET, LOOPBACK, NGINX_PORT, PUBLIC_HOST, SITE_URL

SECOND_FACTOR_PATH = "/mon-compte-partenaire/connexion/second-facteur/"


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

    def sign_in(self, identifiant, password, totp_secret=DEMO_TOTP_SECRET):
        """The sign-in form, then the second step when the account has a second factor (the demo
        administrators and agents: DEMO_TOTP_SECRET)."""
        response, _ = self.submit(
            "/mon-compte-partenaire/connexion/", {"username": identifiant, "password": password}
        )
        if SECOND_FACTOR_PATH in response.url:
            response = self.give_second_factor(response, totp_secret)
        return response

    def give_second_factor(self, step_page, totp_secret=DEMO_TOTP_SECRET):
        """Posts the code of the moment (RFC 6238, as the user's app computes it) on the second step."""
        self.last_path = step_page.url.removeprefix(self.url(""))
        form = main_form(step_page.text)
        fields = [(name, value) for name, value in form["fields"] if name != "code"]
        return self.post(form["action"] or self.last_path, [*fields, ("code", totp_code(totp_secret))])


def totp_code(secret, at=None):
    totp = TOTP(b32decode(secret))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def signed_in_page(response, who="BERNARD"):
    return response.status_code == 200 and who in response.text and "/connexion/" not in response.url


def form_choice_default(browser, path, name):
    form = main_form(browser.get(path).text)
    return dict(form["fields"]).get(name) or form["choices"][name][0]


def error_text(page):
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", e).strip() for e in errors if e.strip())[:300]
