"""The radio groups of the « Habilitations » search drawn in Python (afas/habilitations/widgets.py,
`radios_html`) are the markup crispy draws for them (`as_crispy_field`): same elements, attributes and
text, white space aside, whether the form is empty, filled or in error."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from afas.habilitations.filters import HabilitationSearchForm
from afas.habilitations.widgets import radios_html

DATA = [
    None,
    {"etat": "actif"},
    {"etat": "non_attribue", "lieux": "oui"},
    {"etat": "historique", "lieux": "non"},
    {"partenaire": ""},  # searched without an état: its error under the last option
    {"etat": "inconnu", "lieux": "<b>"},  # values no option has: both in error
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("name", ["etat", "lieux"])
def test_the_radios_are_drawn_as_crispy_draws_them(manager, data, name):
    crispy, ours = HabilitationSearchForm(manager, data), HabilitationSearchForm(manager, data)
    if data is not None:
        crispy.is_valid(), ours.is_valid()
    assert parse_html(radios_html(ours[name])) == parse_html(as_crispy_field(crispy[name]))
    assert ours.radios[name] == radios_html(ours[name])


class HelpedForm(forms.Form):
    choix = forms.ChoiceField(
        label="Choix <b>", choices=[("a", "A & a"), ("b", "B")], widget=forms.RadioSelect, help_text="Aide"
    )


@pytest.mark.parametrize("data", [None, {"choix": "b"}, {"choix": "z"}])
def test_help_text_and_described_by_are_drawn_too(data):
    crispy, ours = HelpedForm(data), HelpedForm(data)
    if data is not None:
        crispy.is_valid(), ours.is_valid()
    assert parse_html(radios_html(ours["choix"])) == parse_html(as_crispy_field(crispy["choix"]))
