"""`{% declaration_rows rows search button saisir %}`: the rows of the table of declarations drawn in Python
(afas/declarations/declaration_rows.py)."""

from django import template

from afas.declarations.declaration_rows import declaration_rows as draw

register = template.Library()


@register.simple_tag
def declaration_rows(rows, search, button, saisir):
    return draw(rows, search, button, saisir)
