"""Forms of the declarations. A part's form is built from its field list (afas/declarations/fields.py):
every value is a free text field so that a draft keeps whatever was typed; the checks judge it."""

import django_filters
from django import forms
from django.utils import timezone

from afas.models import ActivityNature, ActivityType, Declaration, DeclarationType, MailKind, State
from core.search import ChoiceFilter, ModelChoiceFilter, NormalisedCharFilter

from .checks import JUSTIFICATION_MAX_LENGTH, format_number, typed_text

MAX_LENGTH = 30
# Kept whole up to here so that the declarant can shorten it; the checks allow JUSTIFICATION_MAX_LENGTH.
JUSTIFICATION_STORED_LENGTH = 10 * JUSTIFICATION_MAX_LENGTH
FIRST_EXERCICE = 2018


class PartForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, fields, alerts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.value_codes = [field.code for field in fields]
        for field in fields:
            self.fields[field.code] = forms.CharField(
                label=field.label,
                required=False,
                strip=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12}),
            )
        self.alert_codes = [alert.code for alert in alerts]
        for alert in alerts:
            self.fields[f"justification_{alert.code}"] = forms.CharField(
                label="Justification de l'écart",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"{format_number(JUSTIFICATION_MAX_LENGTH, 0)} caractères au maximum.",
            )

    def posted(self, previous_justifications):
        """(values, justifications, version) as posted, without any validation: a draft keeps everything."""
        values = {
            code: self.data.get(self.add_prefix(code), "").strip()[:MAX_LENGTH] for code in self.value_codes
        }
        justifications = dict(previous_justifications)
        for code in self.alert_codes:
            justifications[code] = self.data.get(self.add_prefix(f"justification_{code}"), "").strip()[
                :JUSTIFICATION_STORED_LENGTH
            ]
        try:
            version = int(self.data.get(self.add_prefix("version"), ""))
        except ValueError:
            version = -1
        return values, justifications, version


def part_form(fields, alerts, part, prefix, data=None):
    initial = {code: typed_text(value) for code, value in part.values.items()}
    initial.update(part.rejected)
    initial.update({f"justification_{code}": text for code, text in part.justifications.items()})
    initial["version"] = part.version
    return PartForm(fields, alerts, data=data, initial=initial, prefix=prefix)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Indiquez ce qui doit être corrigé ; il est envoyé aux fournisseurs de données.",
        error_messages={
            "required": "Le commentaire est obligatoire pour retourner une déclaration pour correction."
        },
    )


def exercice_choices():
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 1, FIRST_EXERCICE - 1, -1)]


class DeclarationFilter(django_filters.FilterSet):
    """« Mes déclarations » (slide N°25)."""

    type = ChoiceFilter(label="Type de déclaration", choices=DeclarationType.choices)
    exercice = ChoiceFilter(label="Exercice de la déclaration", choices=exercice_choices)
    state = ChoiceFilter(label="État de la déclaration", choices=State.choices)
    activite_nom = NormalisedCharFilter(label="Nom de l'activité", field_name="activite__nom_search")
    activite_type = ModelChoiceFilter(
        label="Type d'activité", field_name="activite__type", queryset=ActivityType.objects.all()
    )
    activite_nature = ModelChoiceFilter(
        label="Nature d'activité",
        field_name="activite__nature",
        queryset=ActivityNature.objects.all(),
        empty_label="Toutes",
    )

    class Meta:
        model = Declaration
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"


class MailPreferencesForm(forms.Form):
    """« Mes notifications »: one checkbox per mail that concerns the user, ticked when wanted."""

    def __init__(self, preferences, kinds, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=preferences[kind],
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    @property
    def wanted(self):
        return {MailKind(code) for code, ticked in self.cleaned_data.items() if ticked}
