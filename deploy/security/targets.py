"""The targets of the run, found as a user finds them: each profile signs in and follows every link of the
portal or the back-office it reaches; every GET form with a field (a filter, a search) and every POST form
of those pages is a target. A new page linked from the menu or from a list is therefore probed without
anyone adding it here."""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from deploy.smoke.base import DEMO_PASSWORD, SITE_URL
from deploy.smoke.client import Browser, forms

# name, identifiant (README « Comptes de démonstration »), first page, a page that needs the session. The Caf
# agent comes last: the back-office's forms change what the partners may do (a convention's administrator).
PROFILES = (
    ("déclarant", "123456789", "/", "/mon-compte-partenaire/bienvenue/"),
    ("administrateur partenaire", "100000001", "/", "/mon-compte-partenaire/bienvenue/"),
    ("agent de Caf", "agent.loire", "/back-office/", "/back-office/"),
)
PAGE_LIMIT = 400  # pages per profile and crawl: the demo's whole portal and back-office fit well below
# Pages of one path with other parameters (a changelist's filters, its sort): a few show every link and form.
VARIANTS_PER_PATH = 6
# Links never followed: they end the session, are files (read by the XSS probe as exports) or are a
# back-office deletion (nothing is erased; a probe must not erase the demo under the run).
SKIPPED_LINKS = re.compile(r"/deconnexion/|/logout/|/static/|/media/|/delete/|\.pdf$|/export/")
EXPORT_LINKS = re.compile(r"/export/|\.(csv|xlsx)$")
# Forms never probed: they end the session (« Se déconnecter », and the back-office's own), only extend it
# (« Rester connecté »), or apply a bulk action of a changelist (the objects are chosen by checkboxes;
# each object's own change form is probed).
SKIPPED_ACTIONS = re.compile(r"/deconnexion/|/logout/|/session/prolonger/|/delete/")
# Fields sqlmap leaves alone: CSRF token, Django's formset bookkeeping.
# The empty form of an inline (« __prefix__ ») is a template the server ignores.
UNPROBED_FIELDS = re.compile(r"^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|__prefix__")
TEXT_TYPES = {"text", "search", "email", "tel", "url", "textarea"}
# A form asking for the current password gets the profile's own: a wrong one counts towards the lockout
# (ten, and the account is locked for good). Password fields are never probed: the new ones are left empty,
# so that no probe changes a password.
CURRENT_PASSWORD_FIELDS = {"password", "old_password"}


@dataclass
class Target:
    profile: str
    method: str
    action: str  # path?query for a GET form's page, path for a POST
    page: str  # where the form was found (the Referer of its requests)
    fields: list  # (name, value) as a browser would send the form unchanged
    types: dict = field(default_factory=dict)

    @property
    def label(self):
        return f"{self.profile} · {self.method.upper()} {self.action}"

    @property
    def probed_fields(self):
        return sorted(
            {
                name
                for name, _value in self.fields
                if not UNPROBED_FIELDS.search(name) and self.types.get(name) != "password"
            }
        )

    @property
    def text_fields(self):
        return [
            name
            for name in self.probed_fields
            if self.types.get(name) in TEXT_TYPES and not re.search(r"date|heure|time", name, re.I)
        ]


def shape(path):
    """A page's shape: its ids replaced and the names of its parameters, so that 50 users' « Modifier »
    pages are crawled once."""
    parts = urlsplit(path)
    keys = tuple(sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}))
    return re.sub(r"\d+", "N", parts.path), keys


def signed_in(browser, check_path):
    response = browser.get(check_path)
    return response.status_code == 200 and "/connexion/" not in response.url and "/login/" not in response.url


def sign_in(profile):
    _name, identifiant, _start, check_path = profile
    browser = Browser()
    browser.sign_in(identifiant, DEMO_PASSWORD)
    assert signed_in(browser, check_path), f"connexion de {identifiant} refusée"
    return browser


def local(href, base):
    """The site-local path of a link, or None for another site, an anchor or a script."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    absolute = urljoin(SITE_URL + base, href)
    if not absolute.startswith(SITE_URL + "/"):
        return None
    return absolute.removeprefix(SITE_URL).split("#")[0]


def crawl(browser, profile_name, start, on_page=None):
    """Every page of the profile: ({shape: path}, [Target], {export path: link}). `on_page(path, response)`
    sees every response (HTML or not). A form found on several pages (a changelist's search under each
    filter) is one target: the one carrying the most parameters."""
    seen, queue, targets, exports, variants = {}, deque([start]), {}, {}, Counter()
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        if shape(path) in seen or variants[shape(path)[0]] >= VARIANTS_PER_PATH:
            continue
        seen[shape(path)] = path
        variants[shape(path)[0]] += 1
        response = browser.get(path, follow=True)
        if on_page is not None:
            on_page(path, response)
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        here = response.url.removeprefix(browser.url(""))
        for href in re.findall(r"""<a\b[^>]*\bhref=["']([^"']+)["']""", response.text):
            link = local(href.replace("&amp;", "&"), here)
            if link is None:
                continue
            if EXPORT_LINKS.search(urlsplit(link).path):
                # every row once: the export of the unfiltered list (the shortest link)
                export = urlsplit(link).path
                exports[export] = min(exports.get(export, link), link, key=len)
            elif not SKIPPED_LINKS.search(link) and shape(link) not in seen:
                queue.append(link)
        for form in forms(response.text):
            target = form_target(form, profile_name, here)
            if target is not None:
                key = (target.method, shape(target.action)[0])
                if key not in targets or len(target.probed_fields) > len(targets[key].probed_fields):
                    targets[key] = target
    return seen, list(targets.values()), exports


def form_target(form, profile_name, page):
    action = local(form["action"] or page.split("?")[0], page)
    if action is None or SKIPPED_ACTIONS.search(action) or "_selected_action" in form["choices"]:
        return None
    fields = [
        (
            name,
            DEMO_PASSWORD
            if form["types"].get(name) == "password" and name in CURRENT_PASSWORD_FIELDS
            else value,
        )
        for name, value in form["fields"]
    ]
    for name, values in form["choices"].items():
        if name not in dict(fields) and values:
            fields.append((name, values[0]))
    target = Target(profile_name, form["method"], action, page, fields, form["types"])
    if target.method == "get":
        # a filter or a search: at least one field the user fills (a GET with hidden fields only is a link)
        wanted = [name for name in target.probed_fields if form["types"].get(name) != "hidden"]
    else:
        wanted = target.probed_fields  # a confirmation's hidden fields are parameters too
    return target if wanted else None
