"""The parts of base.html drawn cheaply (portal/templatetags/portal_chrome.py) are those of their
templates, character for character."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix

from portal.menu import build_menu
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def drawn(source, **context):
    return Template("{% load portal_chrome %}" + source).render(Context(context))


@pytest.mark.parametrize(
    "user",
    [
        {"declarant": True},
        {"partner_admin": True},
        {"partner_admin": True, "habiliter": True},
        {},
    ],
)
def test_the_menu_is_drawn_as_its_template(user):
    sections = build_menu(UserFactory(**user), "/conventions/")
    assert drawn("{% menu_html sections %}", sections=sections) == render_to_string(
        "includes/_menu.html", {"portal_menu": sections}
    )


def test_the_menu_escapes_and_marks_the_current_page():
    sections = [
        {"title": "R&D <b>", "items": [{"label": 'A "b" & c', "url": "/a?b=1&c=2", "current": True}]},
        {"title": "Vide", "items": []},
    ]
    html = drawn("{% menu_html sections %}", sections=sections)
    assert html == render_to_string("includes/_menu.html", {"portal_menu": sections})
    assert 'href="/a?b=1&amp;c=2" aria-current="page">A &quot;b&quot; &amp; c</a>' in html


@pytest.mark.parametrize(
    "tag, values",
    [
        ('{% include_once "includes/_footer.html" %}', {}),
        ('{% include_once "includes/_brand.html" brand_url=brand_url %}', {"brand_url": "/bienvenue/"}),
        ('{% include_once "includes/_brand.html" brand_url=brand_url %}', {"brand_url": "/?a=1&b=2"}),
    ],
)
def test_a_fixed_part_is_drawn_as_its_include(tag, values):
    include = tag.replace("include_once", "include").replace("brand_url=brand_url", "")
    assert drawn(tag, **values) == drawn(include, **values)
    assert drawn(tag, **values) == drawn(include, **values)  # the second time, from memory


def test_a_fixed_part_follows_the_script_prefix():
    footer = '{% include_once "includes/_footer.html" %}'
    assert 'href="/portail/' not in drawn(footer)
    prefix = get_script_prefix()
    set_script_prefix("/portail/")
    try:
        assert drawn(footer) == drawn('{% include "includes/_footer.html" %}')
        assert 'href="/portail/' in drawn(footer)
    finally:
        set_script_prefix(prefix)


def test_a_template_edited_under_runserver_is_drawn_afresh():
    from django.utils.autoreload import file_changed

    from portal.templatetags.portal_chrome import _rendered

    drawn('{% include_once "includes/_footer.html" %}')
    assert _rendered.cache_info().currsize
    file_changed.send(sender=None, file_path=Path("templates/includes/_footer.html"))
    assert _rendered.cache_info().currsize == 0
