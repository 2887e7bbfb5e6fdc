"""The rows of a back-office changelist drawn in Python, cell for cell the HTML of Django's admin.

Django's `items_for_result` works out, for every cell of every row, what the column is (a model field, a
method of the ModelAdmin, an attribute of the model), its CSS class, whether it links to the change page
(a `reverse()` per row, and a `resolve()` as soon as the URL holds a filter or a page number) and formats each value through several
layers of lazy-aware helpers: at 100 rows of 7 columns it was half the CPU of the changelists of the
national data set (cProfile of the habilitations, users and declarations lists). Here each column is
worked out once per page (`Column`), the change link once per page with the primary key put in its place,
the choices and dates formatted once per distinct value, each row written as one string; the
values themselves come from the same functions as Django's (`display_for_field`, `display_for_value`,
the ModelAdmin's methods), so the HTML is the same, character for character
(tests/core/test_admin_rows.py compares both for every registered ModelAdmin).

A changelist that Django draws differently (list_editable forms, a popup, `to_field`) is drawn by Django.
`{% fast_result_list cl %}` (templates/admin/change_list.html) is this module's, a builtin library."""

import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from core.escaping import escaped

register = template.Library()

# Put in the place of the primary key when the change URL is reversed once per page.
PK_PLACEHOLDER = "~pk~"
# Fields whose display depends only on the value (and the request's language and time zone): formatted
# once per distinct value of the page.
MEMOISED_FIELDS = (models.DateField, models.TimeField, models.BooleanField)


class Column:
    """One column of `list_display`: how each row's cell is found, formatted and wrapped."""

    def __init__(self, cl, field_name, index, link, first_link, empty_value_display):
        self.name = field_name
        self.model_admin = cl.model_admin
        # What a cell shows when its value reads a related row that does not exist, then when it is empty.
        self.missing = self.empty = empty_value_display
        self.classes = [f"field-{_coerce_field_name(field_name, index)}"]
        self.plain_class = mark_safe(f' class="{self.classes[0]}"')  # a missing related row's cell
        self.tag = "th" if first_link else "td"
        self.link = link
        self.field = self.attr = None
        self.memo = None
        self.kind = "lookup"  # a model attribute, property or method: Django's lookup_field for each row
        try:
            field = _get_non_gfk_field(cl.lookup_opts, field_name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):  # a method, a property, `<fk>_id`…
            field = None
        if field is not None:
            self.field = field
            if field.auto_created:
                self.kind = "value"
            elif isinstance(field.remote_field, models.ManyToOneRel):
                self.kind = "related"
            else:
                self.kind = "field"
                if field.flatchoices or isinstance(field, MEMOISED_FIELDS):
                    self.memo = {}
            if self.kind != "value" and isinstance(
                field, (models.DateField, models.TimeField, models.ForeignKey)
            ):
                self.classes.append("nowrap")
        elif callable(field_name):
            self.kind, self.attr = "call", field_name
        elif hasattr(cl.model_admin, field_name) and field_name != "__str__":
            self.kind, self.attr = "call", getattr(cl.model_admin, field_name)
        if self.kind == "call":
            self.empty = getattr(self.attr, "empty_value_display", self.empty)
        if self.field is None and field_name == "action_checkbox":
            self.classes = ["action-checkbox"]
        self.row_class = mark_safe(f' class="{" ".join(self.classes)}"')
        self.row_class_nowrap = mark_safe(f' class="{" ".join([*self.classes, "nowrap"])}"')

    def content(self, obj):
        """The cell's content (escaped or safe) and its class attribute, as items_for_result finds them."""
        try:
            if self.kind == "related":
                value = getattr(obj, self.field.name)
                return (self.empty if value is None else value), self.row_class
            if self.kind == "field":
                value = getattr(obj, self.name)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                return self.field_display(value), self.row_class
            if self.kind == "call":
                attr, value = self.attr, self.attr(obj)
                empty = self.empty
            elif self.kind == "value":
                attr, value = None, getattr(obj, self.name)
                empty = self.empty
            else:
                field, attr, value = lookup_field(self.name, obj, self.model_admin)
                if field is not None:  # not expected: the column was found not to be a field
                    raise LookupError(self.name)
                empty = getattr(attr, "empty_value_display", self.empty)
        except ObjectDoesNotExist:
            return self.missing, self.plain_class
        if isinstance(value, str) and value.strip() == "":
            value = ""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        shown = display_for_value(value, empty, boolean)
        if isinstance(value, (datetime.date, datetime.time)):
            return shown, self.row_class_nowrap
        return shown, self.row_class

    def field_display(self, value):
        if self.memo is None:
            return display_for_field(value, self.field, self.empty, avoid_link=self.link)
        try:
            return self.memo[value]
        except KeyError:
            shown = self.memo[value] = display_for_field(value, self.field, self.empty, avoid_link=self.link)
            return shown
        except TypeError:  # an unhashable value
            return display_for_field(value, self.field, self.empty, avoid_link=self.link)


class Rows:
    """The cells of each row of a changelist page, as Django's `results(cl)` yields them."""

    def __init__(self, cl):
        self.cl = cl
        empty = cl.model_admin.get_empty_value_display()
        links = cl.list_display_links
        self.columns = []
        first = True
        for index, field_name in enumerate(cl.list_display):
            if links is None:
                link = False
            elif first and not links:
                link = True
            else:
                link = field_name in links
            self.columns.append(Column(cl, field_name, index, link, link and first, empty))
            if link:
                first = False
        self.url = self.change_url()

    def change_url(self):
        """(before, after) the primary key in the escaped change link with the preserved filters, or None
        when the model has no change URL."""
        cl = self.cl
        try:
            url = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(PK_PLACEHOLDER,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            return None
        url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        before, found, after = url.partition(PK_PLACEHOLDER)
        return (escaped(before), escaped(after)) if found else False

    def link_to(self, obj):
        pk = getattr(obj, self.cl.pk_attname)
        if type(pk) is int and self.url:
            return self.url[0] + str(pk) + self.url[1]
        url = self.cl.url_for_result(obj)
        return escaped(
            add_preserved_filters({"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url)
        )

    def row(self, obj):
        cells = []
        for column in self.columns:
            shown, row_class = column.content(obj)
            shown = escaped(shown)
            if column.link and self.url is not None:
                shown = f'<a href="{self.link_to(obj)}">{shown}</a>'
            cells.append(f"<{column.tag}{row_class}>{shown}</{column.tag}>")
        # One string per row: the template's loop over the cells of a row then runs once.
        return ResultList(None, [SafeString("".join(cells))])


def drawn_here(cl):
    """Whether this module draws the changelist's rows: not with forms, in a popup or with to_field."""
    return not cl.formset and not cl.is_popup and not cl.to_field


def result_rows(cl):
    if not drawn_here(cl):
        return list(results(cl))
    rows = Rows(cl)
    return [rows.row(obj) for obj in cl.result_list]


def result_list(cl):
    """Django's `result_list` (admin_list.py), with the rows of `result_rows`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": result_rows(cl),
    }


@register.tag(name="fast_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )
