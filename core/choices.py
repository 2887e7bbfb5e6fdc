"""Drop-down lists of model rows read by one plain query.

Django's ModelChoiceIterator reads its rows with `.iterator()`, which on PostgreSQL opens a server-side
cursor (DECLARE, FETCH, CLOSE) for every list of every page: for lists of a few to a few hundred rows that
costs more than the rows themselves (the habilitations search: 80 → 15 ms of SQL)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django_filters import fields as filter_fields


class ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedFilterChoiceIterator(filter_fields.ModelChoiceIterator, ListedChoiceIterator):
    """django-filter's (its « null » choice), the rows read as above."""


class ListedFilterChoiceField(filter_fields.ModelChoiceField):
    iterator = ListedFilterChoiceIterator
