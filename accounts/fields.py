"""User drop-downs: « DUPONT Marie (912578406) » when another user of the same list has the same nom and
prénom (accents and case aside), « DUPONT Marie » otherwise."""

from collections import Counter

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from core.search import normalise

# What the label needs: the large partner's lists hold 1,000 users.
LABEL_FIELDS = ("identifiant", "nom", "prenom")


def _name_key(user):
    return normalise(user.nom), normalise(user.prenom)


class HomonymChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        users = list(self.queryset)  # one query, as ModelChoiceIterator's
        homonyms = {key for key, count in Counter(map(_name_key, users)).items() if count > 1}
        for user in users:
            label = str(user)
            if _name_key(user) in homonyms:
                label = f"{label} ({user.identifiant})"
            yield (ModelChoiceIteratorValue(self.field.prepare_value(user), user), label)


class UserChoiceField(forms.ModelChoiceField):
    iterator = HomonymChoiceIterator
