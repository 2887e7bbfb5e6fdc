"""The left menu, built from the user's rights (rule 8).

An entry names a page; it is shown to whoever has the right that the page's view requires
(`require_right` in conventions/rights.py keeps that right's name on the view), so a menu entry and its
page cannot disagree. Only a public page (@login_not_required) says to whom the menu shows it
(`shown_to`). An entry whose URL does not exist is not shown."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, resolve, reverse

from conventions.rights import get_rights


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    shown_to: str = ""  # a public page only: the right of those who see it in the menu


MENU = [
    (
        "Organismes partenaires",
        [
            Entry("Consulter les types d'organismes", "conventions:partner_types"),
            Entry("Consulter les organismes partenaires", "conventions:organismes"),
        ],
    ),
    ("Conventions", [Entry("Consulter les conventions", "conventions:list")]),
    (
        "Supervision habilitations",
        [
            Entry("Habilitations de mes utilisateurs", "afas:supervision"),
            Entry("Revue des habilitations", "afas:reviews"),
        ],
    ),
    (
        "Aides financières d'action sociale",
        [
            Entry("Accueil AFAS", "afas:home"),
            Entry("Mes déclarations", "afas:declarations"),
            Entry("Statistiques", "afas:statistics"),
            Entry("Administration des profils", "afas:habilitations"),
            Entry("Règles d'usage", "pages:usage_rules", shown_to="works_in_afas"),
        ],
    ),
    (
        "Administration",
        [
            Entry("Modifier mon adresse mail", "accounts:email_change"),
            Entry("Sécuriser mon compte", "accounts:security"),
            Entry("Mes notifications", "afas:notifications"),
            Entry("Mes connexions", "accounts:sessions"),
        ],
    ),
]


def menu_right(entry, url, urlconf=None):
    """The right the entry's page requires, or "" when any signed-in user may open it."""
    view = resolve("/" + url.removeprefix(get_script_prefix()), urlconf).func
    required = getattr(view, "required_right", "")
    if entry.shown_to:
        if getattr(view, "login_required", True) or required:
            raise ImproperlyConfigured(f"{entry.url_name} : shown_to is for public pages only")
        return entry.shown_to
    return required


@cache
def entry_target(entry, urlconf, script_prefix):
    """(URL, right) of an entry, or None when its URL does not exist: fixed for a URL configuration, so
    resolved once (resolving every entry on every page cost more than a millisecond)."""
    try:
        url = reverse(entry.url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return url, menu_right(entry, url, urlconf)


def build_menu(user, current_path=""):
    rights = get_rights(user)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    sections = []
    for title, entries in MENU:
        items = []
        for entry in entries:
            target = entry_target(entry, urlconf, get_script_prefix())
            if target is None:
                continue
            url, right = target
            if right and not getattr(rights, right):
                continue
            items.append({"label": entry.label, "url": url, "current": current_path == url})
        if items:
            sections.append({"title": title, "items": items})
    return sections
