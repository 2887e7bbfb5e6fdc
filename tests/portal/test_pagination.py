"""The pagination links written in Python (portal/templatetags/portal_pagination.py) are those the
template's `{% querystring %}` links were, character for character."""

import pytest
from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

# templates/includes/_pagination.html before its links were written in Python.
TEMPLATE = Template(
    """{% comment %}The pagination of a list: `page` (a Page), `label` (the nav's accessible name), `numbered` (links to
each page number, or only « Page précédente » / « Page suivante »). Every link keeps the page's search.{% endcomment %}
{% if page.has_other_pages %}
<nav aria-label="{{ label }}">
  <ul class="pagination">
    {% if page.has_previous %}<li class="page-item"><a class="page-link" href="{% querystring page=page.previous_page_number %}">Page précédente</a></li>{% endif %}
    {% if numbered %}{% for number in page.paginator.page_range %}
    <li class="page-item{% if number == page.number %} active{% endif %}">{% if number == page.number %}<span class="page-link" aria-current="page">{{ number }}</span>{% else %}<a class="page-link" href="{% querystring page=number %}"><span class="visually-hidden">Page </span>{{ number }}</a>{% endif %}</li>
    {% endfor %}{% endif %}
    {% if page.has_next %}<li class="page-item"><a class="page-link" href="{% querystring page=page.next_page_number %}">Page suivante</a></li>{% endif %}
  </ul>
</nav>
{% endif %}
"""
)


def both(query, number, numbered=True, count=95, per_page=10, label="Pagination des utilisateurs"):
    request = RequestFactory().get("/liste/", query)
    page = Paginator(range(count), per_page).get_page(number)
    context = {"page": page, "label": label, "numbered": numbered}
    old = TEMPLATE.render(RequestContext(request, context))
    return old, render_to_string("includes/_pagination.html", context, request=request)


@pytest.mark.parametrize("numbered", [True, False])
@pytest.mark.parametrize("number", [1, 5, 10])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"page": "5"},
        {"nom": "MARTIN", "groupe": "", "page": "5"},
        {"page": "2", "nom": 'Zoé & "co"', "etat": ["actif", "inactif"]},
        {"prenom": "chloe", "x": "a b/c?d=e"},
    ],
)
def test_the_links_are_written_as_the_template_wrote_them(query, number, numbered):
    old, new = both(query, number, numbered)
    assert new == old


def test_one_page_has_no_links():
    old, new = both({"nom": "MARTIN"}, 1, count=5)
    assert new == old and "<nav" not in new


def test_the_label_is_escaped():
    old, new = both({}, 2, label="Résultats <b> & co")
    assert new == old and 'aria-label="Résultats &lt;b&gt; &amp; co"' in new
