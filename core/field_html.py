"""{{ field|filter_field }}: a text or select field of a filter form, drawn in Python exactly as crispy's
bootstrap5 `field.html` draws it (`as_crispy_field`: the same wrapper, label, widget classes, errors and
help text), without the dozen nested templates that made the filter blocks cost 4-8 ms per page
(issue 12). Any other widget (checkbox, radios, file, multi-widget) or a form with a crispy helper is
drawn by crispy itself. tests/core/test_field_html.py compares both drawings."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
