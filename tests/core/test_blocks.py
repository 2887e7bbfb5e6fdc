"""core/blocks.py: a block written once by a page, shown again where its layout asks."""

import pytest
from django.template import Context, Engine
from django.urls import reverse

from tests.accounts.factories import UserFactory

LAYOUT = (
    "<title>{% block title %}{% block page_title %}{% endblock %}{% endblock %}</title>"
    "<h1>{% block_again 'page_title' %}</h1>"
)


def render(templates, name, context=None):
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", templates)], builtins=["core.blocks"])
    return engine.get_template(name).render(Context(context or {}))


def test_the_page_title_is_written_once_and_shown_twice_escaped():
    page = '{% extends "layout" %}{% block page_title %}Sécuriser {{ who }}{% endblock %}'
    html = render({"layout": LAYOUT, "page": page}, "page", {"who": "<b>mon</b> compte"})
    escaped = "Sécuriser &lt;b&gt;mon&lt;/b&gt; compte"
    assert html == f"<title>{escaped}</title><h1>{escaped}</h1>"


def test_a_block_no_template_defines_is_empty():
    assert render({"page": "<h1>{% block_again 'page_title' %}</h1>"}, "page") == "<h1></h1>"


@pytest.mark.django_db
def test_an_account_page_shows_its_title_in_the_window_the_breadcrumb_and_the_heading(client):
    client.force_login(UserFactory(declarant=True))
    html = client.get(reverse("accounts:sessions")).content.decode()
    assert "<title>Mes connexions — caf.fr</title>" in html
    assert '<li class="breadcrumb-item active" aria-current="page">Mes connexions</li>' in html
    assert '<h1 class="portal-title">Mes connexions</h1>' in html
