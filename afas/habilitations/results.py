"""The rows of the « Habilitations » results drawn in Python, the same HTML as the template drew them: the large partner's page holds some 230 rows, and Django's template tags per row (a `with`, five
`if`, three filters, a `{% url %}`) made them a third of its time (issue 12).
tests/afas/test_habilitation_results.py compares both drawings."""

from django.utils.safestring import mark_safe

from core.escaping import escaped
from core.rows import dmy, url_for_each
from core.typography import de

from ..models import Etat

PENDING = mark_safe(
    '<span aria-hidden="true">*</span><span class="visually-hidden"> (en attente de validation par votre '
    "CAF)</span>"
)
REFUSED = mark_safe(' <span class="badge text-bg-danger">Refusée par la CAF</span>')
PENDING_ROW = mark_safe(
    '<tr><td colspan="5" class="small fst-italic">(*) En attente de validation par votre CAF.</td></tr>'
)


def _held_row(row, title, etat, end_url):
    # Plain f-strings of escaped text (core/escaping.py): format_html's escaping of each argument was most
    # of the rows' time.
    h = row.habilitation
    name = str(h.user)
    reason = ""
    if etat == Etat.INACTIF:
        reasons = " ; ".join(escaped(r) for r in h.inactivity_reasons())
        reason = f'<div class="small fst-italic portal-reason">Inactive : {reasons}</div>'
    action = ""
    if etat != Etat.HISTORIQUE:
        action = (
            f'<a class="btn btn-sm btn-outline-danger" href="{escaped(end_url(h.pk))}">Supprimer<span '
            f'class="visually-hidden"> l\'habilitation {escaped(row.role_label)} {escaped(de(name))} sur '
            f"{title}</span></a>"
        )
    pending = h.is_pending
    refused = REFUSED if h.is_refused and etat != Etat.INACTIF else ""
    return (
        f"<tr><td>{escaped(row.role_label)}</td>"
        f'<td class="portal-text">{escaped(name)}{reason}</td>'
        f"<td>{dmy(h.debut)}{PENDING if pending else ''}{refused}</td>"
        f"<td>{dmy(h.fin)}</td>"
        f"<td>{action}</td></tr>\n"
        f"{PENDING_ROW if pending else ''}"
    )


def _missing_row(row, title):
    return (
        f"<tr><td>{escaped(row.role_label)}</td>"
        '<td class="text-muted">Non attribué</td><td></td><td></td>'
        f'<td><a class="btn btn-sm btn-outline-primary" href="{escaped(row.grant_url)}">Habiliter'
        f'<span class="visually-hidden"> un utilisateur au rôle {escaped(de(row.role_label))} sur {title}</span>'
        "</a></td></tr>\n"
    )


def draw_rows(groups, etat):
    """Sets `rows_html` on each group: its rows as the template drew them."""
    end_url = url_for_each("afas:habilitation_end")
    for group in groups:
        title = escaped(group.title)
        group.rows_html = mark_safe(
            "".join(
                _held_row(row, title, etat, end_url) if row.habilitation else _missing_row(row, title)
                for row in group.rows
            )
        )
    return groups
