"""The drop-down lists read by one plain query (core/choices.py) offer what Django's and django-filter's
lists offer, in the same order."""

import logging

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django_filters import fields as filter_fields

from conventions.models import PartnerType
from core.choices import (
    ListedFilterChoiceField,
    ListedModelChoiceField,
    OfferedChoiceField,
    OfferedModelChoiceField,
    OfferedModelMultipleChoiceField,
)
from tests.conventions.factories import PartnerTypeFactory

pytestmark = pytest.mark.django_db


def options(field):
    return [(str(value), str(label)) for value, label in field.choices]


def test_a_listed_field_offers_the_same_options_as_django_s():
    for libelle in ["Commune", "Association", "Bailleur"]:
        PartnerTypeFactory(libelle=libelle)
    queryset = PartnerType.objects.order_by("libelle")
    listed = options(ListedModelChoiceField(queryset=queryset, empty_label="Tous"))
    assert listed == options(forms.ModelChoiceField(queryset=queryset, empty_label="Tous"))
    assert [label for _, label in listed] == ["Tous", "Association", "Bailleur", "Commune"]


def test_a_listed_filter_field_keeps_django_filter_s_null_choice():
    PartnerTypeFactory(libelle="Association")
    queryset = PartnerType.objects.all()
    kwargs = {"queryset": queryset, "empty_label": "Tous", "null_label": "Aucun"}
    listed = options(ListedFilterChoiceField(**kwargs))
    assert listed == options(filter_fields.ModelChoiceField(**kwargs))
    assert [label for _, label in listed] == ["Tous", "Aucun", "Association"]


def test_a_listed_field_reads_its_rows_in_one_query(django_assert_num_queries):
    PartnerTypeFactory(libelle="Association")
    field = ListedModelChoiceField(queryset=PartnerType.objects.all())
    with django_assert_num_queries(1):  # iterated as a widget does (list() would also ask len(): a COUNT)
        assert [label for _, label in field.choices] == ["---------", "Association"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (lambda: OfferedChoiceField(label="Rôle", choices=[("a", "A")]), "z"),
        (lambda: OfferedModelChoiceField(label="Type", queryset=PartnerType.objects.all()), "999999"),
        (
            lambda: OfferedModelMultipleChoiceField(label="Types", queryset=PartnerType.objects.all()),
            ["999999"],
        ),
        (lambda: ListedModelChoiceField(label="Type", queryset=PartnerType.objects.all()), "999999"),
    ],
)
def test_a_value_not_offered_is_logged_before_its_error(field, value, caplog):
    caplog.set_level(logging.WARNING, logger="security")
    field = field()
    with pytest.raises(ValidationError):
        field.clean(value)
    (record,) = [record for record in caplog.records if record.name == "security"]
    assert (record.event, record.field) == ("choice_refused", str(field.label))
    assert "999999" not in record.getMessage()


def test_a_missing_value_is_no_security_event(caplog):
    caplog.set_level(logging.WARNING, logger="security")
    with pytest.raises(ValidationError):
        OfferedModelChoiceField(queryset=PartnerType.objects.all()).clean("")
    assert not [record for record in caplog.records if record.name == "security"]
