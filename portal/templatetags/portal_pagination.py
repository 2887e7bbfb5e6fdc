"""`{% pagination_links page label numbered %}`: the links of a paginated list (templates/includes/
_pagination.html), written in Python: the large partner's users list has 50 numbered links, and a
`{% querystring %}` each (a copy of the query, a tag rendered) was a third of its page (issue 12).
tests/portal/test_pagination.py compares both drawings."""

from django import template
from django.utils.safestring import mark_safe

from core.escaping import escaped

register = template.Library()

_MARK = "987654321"


def _page_query(query):
    """number → what `{% querystring page=number %}` writes for this query (the other parameters kept in
    their order, « page » in its place or last)."""
    params = query.copy()
    params["page"] = _MARK
    items = params.urlencode().split("&")
    at = items.index(f"page={_MARK}")
    before, after = items[:at], items[at + 1 :]
    return lambda number: escaped("?" + "&".join([*before, f"page={int(number)}", *after]))


@register.simple_tag(takes_context=True)
def pagination_links(context, page, label, numbered):
    if not page.has_other_pages():
        return ""
    link = _page_query(context.request.GET)
    previous = following = numbers = ""
    if page.has_previous():
        previous = (
            f'<li class="page-item"><a class="page-link" href="{link(page.previous_page_number())}">'
            "Page précédente</a></li>"
        )
    if page.has_next():
        following = (
            f'<li class="page-item"><a class="page-link" href="{link(page.next_page_number())}">'
            "Page suivante</a></li>"
        )
    if numbered:
        current = page.number
        numbers = "".join(
            f'\n    <li class="page-item active"><span class="page-link" aria-current="page">{number}</span></li>\n    '
            if number == current
            else f'\n    <li class="page-item"><a class="page-link" href="{link(number)}"><span class="visually-hidden">'
            f"Page </span>{number}</a></li>\n    "
            for number in page.paginator.page_range
        )
    return mark_safe(
        f'\n<nav aria-label="{escaped(label)}">\n  <ul class="pagination">\n    {previous}\n    {numbers}\n'
        f"    {following}\n  </ul>\n</nav>\n"
    )
