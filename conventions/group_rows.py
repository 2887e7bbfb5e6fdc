"""The rows of the « Groupes » page drawn in Python, character for character as the template's loops drew
them (a `{% url %}`, two date filters and a dozen variables per membership; issue 12). The URL of
« Clôturer » is reversed once per page. tests/conventions/test_group_rows.py compares both drawings."""

from django.utils.safestring import mark_safe

from core.escaping import escaped
from core.rows import dmy, url_for_each
from core.typography import de

NO_CURRENT_MEMBER = '<tr><td colspan="6">Aucun membre actuel.</td></tr>'


def _cells(membership):
    user = membership.user
    return (
        f"<td>{escaped(user.identifiant)}</td><td>{escaped(user.nom)}</td><td>{escaped(user.prenom)}</td>\n"
        f"        <td>{dmy(membership.date_ouverture)}</td><td>{dmy(membership.date_cloture)}</td>"
    )


def group_rows(convention, groups):
    """[(group, its current members' rows, its former members' rows or "")] from members_by_group."""
    close_url = url_for_each("conventions:membership_close", convention.pk)
    drawn = []
    for group, current, past in groups:
        libelle = escaped(group.libelle)
        current_rows = "".join(
            "\n      <tr>\n"
            f"        {_cells(membership)}\n"
            f'        <td><a href="{close_url(membership.pk)}">Clôturer<span class="visually-hidden"> '
            f"l'appartenance {escaped(de(membership.user))} au groupe {libelle}</span></a></td>\n"
            "      </tr>\n    "
            for membership in current
        )
        past_rows = "".join(
            "\n      <tr>\n"
            f"        {_cells(membership)}\n"
            f"        <td>{escaped(membership.closed_by) if membership.closed_by else '—'}</td>\n"
            "      </tr>\n    "
            for membership in past
        )
        drawn.append((group, mark_safe(current_rows or NO_CURRENT_MEMBER), mark_safe(past_rows)))
    return drawn
