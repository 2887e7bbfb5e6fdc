"""What the table rows drawn in Python share (issue 12: conventions/user_rows.py, conventions/group_rows.py,
afas/habilitations/results.py, afas/declarations/declaration_rows.py): a row's URL reversed once per page
rather than once per row, and a date written as the template's `date:"d/m/Y"` filter writes it."""

from django.urls import reverse

from core.escaping import escaped

# A placeholder id, put in the row's id place when the URL is reversed once.
_MARK = 987654321


def url_for_each(name, *args):
    """A function of a row's id giving `reverse(name, args=[*args, id])`, escaped as `{% url %}` writes it,
    reversed once."""
    prefix, suffix = escaped(reverse(name, args=[*args, _MARK])).split(str(_MARK))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def dmy(value):
    """What the `date:"d/m/Y"` filter writes ("" for no date), without its formatter object per date."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""
