"""A select list rendered in Python: the large partner's lists hold 1,000 users and 200 activités, and
Django's template per option made those pages spend most of their time drawing them."""

from django import forms
from django.utils.html import format_html, format_html_join

from core.choices import ListedModelChoiceField


class QuickSelect(forms.Select):
    """Same HTML as `forms.Select` (one selected option, no optgroups), without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in chosen
            if selected:
                chosen = set()  # like forms.Select: only the first match is selected
            options.append((option_value, " selected" if selected else "", label))
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
            format_html_join("\n", '  <option value="{}"{}>{}</option>', options),
        )


def optional_choice(label, queryset, empty_label, field_class=ListedModelChoiceField):
    """An optional filter list (« Tous » / « Toutes » first) drawn with QuickSelect."""
    return field_class(
        widget=QuickSelect, label=label, queryset=queryset, required=False, empty_label=empty_label
    )
