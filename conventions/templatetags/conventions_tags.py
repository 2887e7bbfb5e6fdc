from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def email_wbr(address):
    """A long address in a narrow column breaks after its « @ », not in the middle of a name."""
    return mark_safe(escape(address).replace("@", "@<wbr>"))
