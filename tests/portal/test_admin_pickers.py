"""No back-office form lists every user, organisme, convention, activité or lieu in a select (issue 12:
150,000 users nationally): such a field is searched (`autocomplete_fields`), typed (`raw_id_fields`) or read
only."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.test import RequestFactory

from accounts.models import User
from afas.models import Activite, Lieu
from conventions.models import Convention, Organisme
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LARGE_TABLES = (User, Organisme, Convention, Activite, Lieu)
PICKERS = (AutocompleteSelect, ForeignKeyRawIdWidget)
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def fields_listing_a_large_table(form_class):
    for name, field in form_class.base_fields.items():
        if not isinstance(field, forms.ModelChoiceField) or field.queryset.model not in LARGE_TABLES:
            continue
        widget = field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        if not isinstance(widget, PICKERS):
            yield name


@pytest.mark.parametrize("model_admin", [ma for _, ma in REGISTRY], ids=lambda ma: ma.model._meta.label)
def test_no_form_of_the_back_office_lists_a_large_table(model_admin):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True, organisme=None, caf=None)  # every field
    found = []
    if model_admin.has_add_permission(request):
        found += [f"add: {name}" for name in fields_listing_a_large_table(model_admin.get_form(request))]
    for inline in model_admin.get_inline_instances(request):
        if inline.has_add_permission(request, None) or inline.has_change_permission(request, None):
            formset = inline.get_formset(request)
            found += [
                f"{inline.model.__name__}: {name}" for name in fields_listing_a_large_table(formset.form)
            ]
    assert found == []
