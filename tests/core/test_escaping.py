"""core/escaping.py writes what the template's `{{ value }}` (conditional_escape) writes."""

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.escaping import escaped


class Html:
    def __html__(self):
        return "<b>déjà du HTML</b>"


@pytest.mark.parametrize(
    "value",
    [
        'L\'<b>ALSH</b> « Les Petits » & "co"',
        mark_safe("<span>sûr</span> & déjà échappé"),
        lazy(lambda: "<i>paresseux</i> & traduit", str)(),
        Html(),
        42,
        None,
    ],
)
def test_escaped_writes_what_conditional_escape_writes(value):
    assert escaped(value) == str(conditional_escape(value))
