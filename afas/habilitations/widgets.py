"""A select list rendered in Python: the large partner's lists hold 1,000 users and 200 activités, and
Django's template per option made those pages spend most of their time drawing them. Its options may be
kept in the shared cache (`fragment`): drawn once for the data they show, the selected one marked at each
request."""

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from core.choices import ListedModelChoiceField
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
        for needle in (f'<option value="{escape(value)}">' for value in chosen)
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
    `scopes` and `parts` (everything else the list depends on: the day, whose list it is)."""

    fragment = None

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        if self.fragment is None:
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
