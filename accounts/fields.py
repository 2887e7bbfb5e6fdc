"""User drop-downs: « DUPONT Marie (912578406) » when another user of the same list has the same nom and
prénom (accents and case aside), « DUPONT Marie » otherwise."""

from collections import Counter

from django import forms
from django.forms.models import ModelChoiceIterator

from core.choices import LoggedChoicesMixin
from core.search import normalise

from .models import user_label

# What the label needs: the large partner's lists hold 1,000 users.
LABEL_FIELDS = ("identifiant", "nom", "prenom")


def _name_key(nom, prenom):
    return normalise(nom), normalise(prenom)


class HomonymChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # One query of the label's columns, no model instances: the large partner's lists hold 1,000 users.
        key = self.field.to_field_name or "pk"
        users = list(self.queryset.values_list(key, *LABEL_FIELDS))
        homonyms = {
            name
            for name, count in Counter(_name_key(nom, prenom) for _, _, nom, prenom in users).items()
            if count > 1
        }
        for value, identifiant, nom, prenom in users:
            label = user_label(nom, prenom)
            if _name_key(nom, prenom) in homonyms:
                label = f"{label} ({identifiant})"
            yield (value, label)


class UserChoiceField(LoggedChoicesMixin, forms.ModelChoiceField):
    iterator = HomonymChoiceIterator
