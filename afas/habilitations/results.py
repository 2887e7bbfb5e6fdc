"""The rows of the « Habilitations » results drawn in Python, character for character as the template
drew them: the large partner's page holds some 230 rows, and Django's template tags per row (a `with`, five
`if`, three filters, a `{% url %}`) made them a third of its time (issue 12).
tests/afas/test_habilitation_results.py compares both drawings."""

from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

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
# A placeholder id: the URL of « Supprimer » reversed once per page, not once per row.
_MARK = 987654321


def _end_url():
    prefix, suffix = reverse("afas:habilitation_end", args=[_MARK]).split(str(_MARK))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def _date(value):
    """What the `date:"d/m/Y"` filter writes, without its formatter object per date."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def _held_row(row, title, etat, end_url):
    h = row.habilitation
    reason = ""
    if etat == Etat.INACTIF:
        reason = format_html(
            '<div class="small fst-italic portal-reason">Inactive : {}</div>',
            mark_safe(" ; ".join(conditional_escape(r) for r in h.inactivity_reasons())),
        )
    action = ""
    if etat != Etat.HISTORIQUE:
        action = format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">Supprimer<span class="visually-hidden"> '
            "l'habilitation {} {} sur {}</span></a>",
            end_url(h.pk),
            row.role_label,
            de(h.user),
            title,
        )
    return format_html(
        '\n      \n      <tr>\n        <td>{}</td>\n        <td class="portal-text">{}{}</td>\n'
        "        <td>{}{}{}</td>\n        <td>{}</td>\n        <td>{}</td>\n      </tr>\n      {}\n      \n    ",
        row.role_label,
        h.user,
        reason,
        _date(h.debut),
        PENDING if h.is_pending else "",
        REFUSED if h.is_refused and etat != Etat.INACTIF else "",
        _date(h.fin),
        action,
        PENDING_ROW if h.is_pending else "",
    )


def _missing_row(row, title):
    return format_html(
        '\n      \n      <tr>\n        <td>{}</td>\n        <td class="text-muted">Non attribué</td>\n'
        '        <td></td>\n        <td></td>\n        <td><a class="btn btn-sm btn-outline-primary" '
        'href="{}">Habiliter<span class="visually-hidden"> un utilisateur au rôle {} sur {}</span></a></td>\n'
        "      </tr>\n      \n    ",
        row.role_label,
        row.grant_url,
        de(row.role_label),
        title,
    )


def draw_rows(groups, etat):
    """Sets `rows_html` on each group: its rows as the template drew them."""
    end_url = _end_url()
    for group in groups:
        group.rows_html = format_html_join(
            "",
            "{}",
            (
                (
                    _held_row(row, group.title, etat, end_url)
                    if row.habilitation
                    else _missing_row(row, group.title),
                )
                for row in group.rows
            ),
        )
    return groups
