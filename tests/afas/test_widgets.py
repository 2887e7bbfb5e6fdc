import re

import pytest
from django import forms

from afas.habilitations.widgets import QuickSelect


def normalized(html):
    return re.sub(r"\s*\n\s*", "", str(html))


@pytest.mark.parametrize("value", [None, "", "2", 2, "9"])
def test_quick_select_draws_the_same_html_as_django_select(value):
    choices = [("", "Tous"), (1, "DUBOIS Jean"), (2, "L'Été & <co>"), (2, "doublon")]
    attrs = {
        "id": "id_x",
        "class": "form-select",
        "required": True,
        "disabled": False,
        "aria-describedby": "x_aide",
    }
    expected = forms.Select(choices=choices).render("x", value, attrs=attrs)
    assert normalized(QuickSelect(choices=choices).render("x", value, attrs=attrs)) == normalized(expected)


@pytest.mark.parametrize("value", [None, "", "2", 2, "9", "1"])
def test_quick_select_kept_in_the_cache_draws_the_same_html(value, db):
    """The options kept by core/fragments.py, drawn with none selected, then the chosen one marked."""
    choices = [("", "Tous"), (1, "DUBOIS Jean"), (2, "L'Été & <co>"), (2, "doublon"), (12, "DURAND")]
    attrs = {"id": "id_x", "class": "form-select"}
    expected = forms.Select(choices=choices).render("x", value, attrs=attrs)
    for _ in range(2):  # drawn, then from the cache
        kept = QuickSelect(choices=choices)
        kept.fragment = ("test-widget", ["partner:0"], [])
        assert normalized(kept.render("x", value, attrs=attrs)) == normalized(expected)
