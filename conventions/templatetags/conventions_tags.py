from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def email_wbr(address):
    """A long address in a narrow column breaks after its « @ », not in the middle of a name."""
    return mark_safe(escape(address).replace("@", "@<wbr>"))


CHOOSE = (
    '<details class="portal-choose">\n  <summary>Choisir…<span class="visually-hidden"> {}</span></summary>\n'
    '  <ul class="list-unstyled">\n    {}\n  </ul>\n</details>\n'
)


class ChooseNode(template.Node):
    def __init__(self, about, items):
        self.about, self.items = about, items

    def render(self, context):
        # The menu drawn without a template rendered per row (the users list has 20 rows, the conventions
        # list more; issue 12). Both parts rendered, and so escaped, already (a NodeList renders safe).
        return format_html(CHOOSE, self.about.render(context), self.items.render(context))


@register.tag
def choose(parser, token):
    """The « Choisir… » menu of a row's actions: `{% choose %}what it acts on, for screen readers{% actions %}
    <li>…</li>…{% endchoose %}`."""
    about = parser.parse(("actions",))
    parser.delete_first_token()
    items = parser.parse(("endchoose",))
    parser.delete_first_token()
    return ChooseNode(about, items)
