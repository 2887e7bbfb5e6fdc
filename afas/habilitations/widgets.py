"""A select list rendered in Python: the large partner's lists hold 1,000 users and 200 activités, and
Django's template per option made those pages spend most of their time drawing them. Its options may be
kept in the shared cache (`fragment`): drawn once for the data they show, the selected one marked at each
request."""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.choices import ListedModelChoiceField
from core.escaping import escaped
from core.field_html import attrs_html
from core.fragments import cached_fragment


def _options_html(choices, chosen):
    options = []
    for option_value, label in choices:
        option_value = "" if option_value is None else str(option_value)
        selected = option_value in chosen
        if selected:
            chosen = set()  # like forms.Select: only the first match is selected
        options.append((option_value, " selected" if selected else "", label))
    return format_html_join("\n", '  <option value="{}"{}>{}</option>', options)


def _with_selected(options, chosen):
    """The options drawn with none selected, the first one whose value is chosen marked selected."""
    found = [
        (at, needle)
        for needle in (f'<option value="{escaped(value)}">' for value in chosen)
        if (at := options.find(needle)) >= 0
    ]
    if not found:
        return options
    at, needle = min(found)
    end = at + len(needle) - 1
    return mark_safe(f"{options[:end]} selected{options[end:]}")


class QuickSelect(forms.Select):
    """Same HTML as `forms.Select` (one selected option, no optgroups), without a template per option.

    `fragment` = (name, scopes, parts): the options are kept by core/fragments.py under the tokens of
    `scopes` and `parts` (everything else the list depends on: the day, whose list it is); or `options`,
    drawn and kept by the form with those of its other lists."""

    fragment = None
    options = None  # the options drawn beforehand with none selected (kept with other lists' options)

    def unselected_options(self):
        return _options_html(self.choices, set())

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        if self.options is not None:
            options = _with_selected(self.options, chosen)
        elif self.fragment is None:
            options = _options_html(self.choices, chosen)
        else:
            options = _with_selected(
                cached_fragment(*self.fragment, lambda: _options_html(self.choices, set())), chosen
            )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            format_html_join(
                "",
                "{}",
                [
                    (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                    for key, value in attrs.items()
                    if value is not False
                ],
            ),
            options,
        )


def optional_choice(label, queryset, empty_label, field_class=ListedModelChoiceField):
    """An optional filter list (« Tous » / « Toutes » first) drawn with QuickSelect."""
    return field_class(
        widget=QuickSelect, label=label, queryset=queryset, required=False, empty_label=empty_label
    )


ASTERISK = '<span class="asteriskField">*</span>'


def radios_html(field):
    """`{{ field|as_crispy_field }}` for a RadioSelect of a form without a crispy helper: the markup of
    crispy's bootstrap5 `field.html` and `radio_checkbox_select.html` (legend, options, errors, help text)
    drawn in Python, white space aside; the two radio groups of the search were a fifth of a typical
    partner's page (issue 12). tests/afas/test_habilitation_radios.py compares both drawings."""
    required = " requiredField" if field.field.required else ""
    invalid = " is-invalid" if field.errors else ""
    options = [option for _group, choices, _index in optgroups(field) for option in choices]
    drawn = []
    for number, option in enumerate(options, start=1):
        errors = _errors_html(field) if field.errors and number == len(options) else ""
        drawn.append(
            f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}" '
            f'name="{escaped(field.html_name)}" value="{escaped(option["value"])}"{attrs_html(option["attrs"])}>'
            f'<label for="{escaped(option["attrs"]["id"])}" class="form-check-label">{escaped(option["label"])}'
            f"</label>{errors}</div>"
        )
    legend = ""
    if field.label:
        asterisk = ASTERISK if required else ""
        legend = f'<legend class="form-label{required} fs-6">{escaped(field.label)}{asterisk}</legend>'
    help_text = ""
    if field.help_text:
        helptext_id = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
        help_text = f'<div {helptext_id}class="form-text">{field.help_text}</div>'
    css = f" {field.css_classes()}" if field.css_classes() else ""
    described = f' aria-describedby="{field.aria_describedby}"' if field.aria_describedby else ""
    return mark_safe(
        f'<div id="div_{field.auto_id}" class="mb-3{css}"><fieldset{described}>{legend}'
        f"<div>{''.join(drawn)}</div>{help_text}</fieldset></div>"
    )


def _errors_html(field):
    errors = "".join(
        f'<p id="error_{number}_{field.auto_id}"><strong>{escaped(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{errors}</div>'
