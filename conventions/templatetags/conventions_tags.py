from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def email_wbr(address):
    """A long address in a narrow column breaks after its « @ », not in the middle of a name."""
    return mark_safe(escape(address).replace("@", "@<wbr>"))


class ChooseNode(template.Node):
    def __init__(self, about, items):
        self.about, self.items = about, items

    def render(self, context):
        return render_to_string(
            "conventions/_choose.html",
            # Both rendered, and so escaped, already (a NodeList renders to a safe string).
            {"about": self.about.render(context), "items": self.items.render(context)},
        )


@register.tag
def choose(parser, token):
    """The « Choisir… » menu of a row's actions: `{% choose %}what it acts on, for screen readers{% actions %}
    <li>…</li>…{% endchoose %}`."""
    about = parser.parse(("actions",))
    parser.delete_first_token()
    items = parser.parse(("endchoose",))
    parser.delete_first_token()
    return ChooseNode(about, items)
