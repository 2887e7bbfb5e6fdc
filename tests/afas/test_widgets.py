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
