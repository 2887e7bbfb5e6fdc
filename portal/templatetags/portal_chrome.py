"""What templates/base.html draws on every signed-in page, drawn cheaply (issue 12): the menu written in
Python, and the header's mark and the footer rendered once per process, since they show nothing of the
request. tests/portal/test_chrome.py compares each drawing with its template's."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@lru_cache(maxsize=32)
def _rendered(name, values, urlconf, script_prefix):
    return mark_safe(get_template(name).render(dict(values)))


def _forget_rendered(sender, file_path, **kwargs):
    """`manage.py runserver`: a template edited is shown at the next page, as Django's own loaders do."""
    _rendered.cache_clear()


file_changed.connect(_forget_rendered, dispatch_uid="portal_chrome_include_once")


@register.simple_tag
def include_once(name, **values):
    """`{% include_once "includes/_footer.html" %}`: a template that reads nothing but its few fixed
    arguments and the URL configuration, rendered once per process (an include costs a lookup, a context
    and its nodes on every page)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _rendered(name, tuple(sorted(values.items())), urlconf, get_script_prefix())


@register.simple_tag
def menu_html(sections):
    """The left menu (portal/menu.py's sections), character for character as includes/_menu.html."""
    parts = ['<nav class="portal-menu" id="menu-principal" aria-label="Menu principal">\n  ']
    for section in sections:
        parts.append(
            f'\n  <h2 class="portal-menu-title">{escape(section["title"])}</h2>\n'
            '  <ul class="list-unstyled mb-3">\n    '
        )
        for item in section["items"]:
            current = ' aria-current="page"' if item["current"] else ""
            parts.append(
                f'\n    <li><a href="{escape(item["url"])}"{current}>{escape(item["label"])}</a></li>\n    '
            )
        parts.append("\n  </ul>\n  ")
    parts.append("\n</nav>\n")
    return mark_safe("".join(parts))
