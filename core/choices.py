"""Drop-down lists of model rows read by one plain query.

Django's ModelChoiceIterator reads its rows with `.iterator()`, which on PostgreSQL opens a server-side
cursor (DECLARE, FETCH, CLOSE) for every list of every page: for lists of a few to a few hundred rows that
costs more than the rows themselves (the habilitations search: 80 → 15 ms of SQL).

A value the list did not offer (an id outside the user's scope, a choice typed into the request) cannot
come from the page: the fields below log it as `choice_refused` before their error (ASVS 16.3.3)."""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django_filters import fields as filter_fields

from .security_log import security_event

# The errors of a value that was not among the choices offered.
NOT_OFFERED = {"invalid_choice", "invalid_pk_value", "invalid_list"}


class LoggedChoicesMixin:
    """For a choice field: a value not offered is a `choice_refused` event (the field's label, never the
    value), then the field's own error."""

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if {getattr(e, "code", None) for e in error.error_list} & NOT_OFFERED:
                security_event("choice_refused", logging.WARNING, field=self.logged_name())
            raise

    def logged_name(self):
        """The field's label, or for a list of rows without one, what the rows are (« activités »)."""
        queryset = getattr(self, "queryset", None)
        if self.label or queryset is None:
            return str(self.label or "")
        return str(queryset.model._meta.verbose_name_plural)


class OfferedChoiceField(LoggedChoicesMixin, forms.ChoiceField):
    pass


class OfferedModelChoiceField(LoggedChoicesMixin, forms.ModelChoiceField):
    pass


class OfferedModelMultipleChoiceField(LoggedChoicesMixin, forms.ModelMultipleChoiceField):
    pass


class ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(LoggedChoicesMixin, forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedFilterChoiceIterator(filter_fields.ModelChoiceIterator, ListedChoiceIterator):
    """django-filter's (its « null » choice), the rows read as above."""


class ListedFilterChoiceField(filter_fields.ModelChoiceField):
    iterator = ListedFilterChoiceIterator
