"""`{% block_again "name" %}`: a block of the page rendered once more, for a text a page names once but
shows in several places (a builtin tag: no {% load %} needed). Its first use: the title of a page of
templates/accounts/_page.html, written once and shown in the window's title, the breadcrumb and the <h1>."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def block_again(context, name):
    """The most derived template's block `name` (the one the page itself sees), rendered in this context;
    empty where no template of the page defines it."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    return block.nodelist.render(context) if block is not None else ""
