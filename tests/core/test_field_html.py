"""{{ field|filter_field }} (core/field_html.py) draws a filter's field exactly as crispy does: the same
label bound to the widget, the same classes, errors and help text, so the pages keep their markup and
their accessibility while the filter blocks cost a fraction of what they did."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from accounts.models import User
from afas.declarations.forms import DeclarationFilter
from afas.models import Declaration
from conventions.filters import ConventionFilter, PartnerUserFilter
from conventions.models import Convention
from core.field_html import filter_field

pytestmark = pytest.mark.django_db


class Request:
    def __init__(self, user):
        self.user = user


def both_drawings(make_form):
    """Each field drawn by crispy and by filter_field, each from a form of its own (both change widgets)."""
    crispy, ours = make_form(), make_form()
    for name in crispy.fields:
        yield name, as_crispy_field(crispy[name]), filter_field(ours[name])


FILTERS = {
    "conventions": lambda data: (
        ConventionFilter(data, queryset=Convention.objects.none(), request=Request(User(pk=0))).form
    ),
    "users": lambda data: PartnerUserFilter(data, queryset=User.objects.none()).form,
    "declarations": lambda data: DeclarationFilter(data, queryset=Declaration.objects.none()).form,
}
DATA = [
    None,
    {"libelle": "Crèche <b>", "nom": "MARTIN", "activite_nom": "Accueil"},
    # Values no choice has: every select shows its error.
    {"type": "9999", "statut": "x", "organisme": "9999", "etat": "x", "groupe": "9999", "exercice": "1"},
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("which", FILTERS)
def test_every_filter_field_is_drawn_as_crispy_draws_it(which, data):
    def make_form():
        form = FILTERS[which](data)
        form.is_valid()
        return form

    for name, crispy, ours in both_drawings(make_form):
        assert parse_html(ours) == parse_html(crispy), name


class Sample(forms.Form):
    code = forms.CharField(label="Code", help_text="Neuf <em>chiffres</em>")
    choix = forms.ChoiceField(label="Choix", choices=[("a", "A")], help_text="Un seul")
    coche = forms.BooleanField(label="Coché", required=False)


@pytest.mark.parametrize("data", [None, {"choix": "z"}])
def test_required_fields_help_texts_and_other_widgets_as_crispy(data):
    def make_form():
        form = Sample(data)
        if data:
            form.is_valid()
        return form

    for name, crispy, ours in both_drawings(make_form):
        assert parse_html(ours) == parse_html(crispy), name


class Widgets(forms.Form):
    texte = forms.CharField(label="Texte", initial='a "b" <c> & d', max_length=20)
    nombre = forms.IntegerField(label="Nombre", initial=12, required=False)
    mail = forms.EmailField(label="Mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    jour = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    secret = forms.CharField(label="Secret", widget=forms.PasswordInput(render_value=True), initial="x")
    cache = forms.CharField(widget=forms.HiddenInput, initial="7")
    coche = forms.BooleanField(label="Coché", initial=True, required=False)
    choix = forms.ChoiceField(
        label="Choix", choices=[("", "Tous"), ("a&b", "A & <B>"), (3, "Trois")], initial=3
    )
    groupes = forms.ChoiceField(label="Groupes", choices=[("G", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    plusieurs = forms.MultipleChoiceField(label="Plusieurs", choices=[("a", "A"), ("b", "B")], initial=["b"])
    texte_long = forms.CharField(label="Long", widget=forms.Textarea, initial="ligne")


@pytest.mark.parametrize(
    "data", [None, {"texte": "<x>", "nombre": "abc", "choix": "a&b", "plusieurs": ["a", "b"]}]
)
def test_the_python_renderer_draws_every_widget_as_djangos_templates(data):
    from django.forms.renderers import DjangoTemplates

    from core.field_html import PythonWidgetRenderer

    drawn = {}
    for renderer in (DjangoTemplates(), PythonWidgetRenderer()):
        form = Widgets(data, renderer=renderer)
        form.is_valid()
        drawn[type(renderer)] = [str(form[name]) for name in form.fields]
    assert drawn[PythonWidgetRenderer] == drawn[DjangoTemplates]
