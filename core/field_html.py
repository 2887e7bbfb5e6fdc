"""{{ field|filter_field }}: a text or select field of a filter form, drawn in Python exactly as crispy's
bootstrap5 `field.html` draws it (`as_crispy_field`: the same wrapper, label, widget classes, errors and
help text), without the dozen nested templates that made the filter blocks cost 4-8 ms per page
(issue 12). Any other widget (checkbox, radios, file, multi-widget) or a form with a crispy helper is
drawn by crispy itself. tests/core/test_field_html.py compares both drawings."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.escaping import escaped

register = template.Library()

DRAWN_BY_CRISPY = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def _add_classes(widget, classes):
    """What crispy's {% crispy_field %} does to the widget: its class name, then the Bootstrap classes."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for name in classes.split():
        if name not in css.split():
            css += f" {name}"
    widget.attrs["class"] = css


@register.filter
def filter_field(field):
    widget = field.field.widget
    if (
        field.is_hidden
        or isinstance(widget, DRAWN_BY_CRISPY)
        or hasattr(widget, "widget")
        or getattr(field.form, "helper", None) is not None
    ):
        return as_crispy_field(field)
    classes = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, f"{classes} is-invalid" if field.errors else classes)
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
            mark_safe(field.help_text),
        )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        str(field),
        errors,
        help_text,
    )


WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        [
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        ]
    )
}
SELECT, OPTION = f"{WIDGETS}select.html", f"{WIDGETS}select_option.html"


def attrs_html(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
    return f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


def _select(widget):
    """django/forms/widgets/select.html without optgroups, each option by select_option.html (None when an
    option has a template of its own, or there are optgroups: the templates draw those)."""
    options = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            return None
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            options.append(
                f'\n  <option value="{escaped(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{escaped(option['label'])}</option>\n"
            )
    return (
        f'<select name="{escaped(widget["name"])}"{attrs_html(widget["attrs"])}>{"".join(options)}\n</select>'
    )


class PythonWidgetRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's renderer, but the plain inputs and selects drawn in Python, character
    for character as Django's templates draw them (an include per option and per attribute made a select
    of 200 choices cost milliseconds). Any other template is rendered by Django."""

    def render(self, template_name, context, request=None):
        drawn = None
        if template_name in INPUTS:
            drawn = _input(context["widget"])
        elif template_name == SELECT:
            drawn = _select(context["widget"])
        return drawn if drawn is not None else super().render(template_name, context, request)
