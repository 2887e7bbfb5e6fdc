"""The rows of « Liste des utilisateurs » drawn in Python, character for character as the template drew
them: per row the template resolved some forty variables, five `{% url %}`, three `statut` and the
« Choisir… » menu, most of the large partner's page (issue 12). The URLs are reversed once per page.
tests/conventions/test_user_rows.py compares both drawings."""

from django.urls import reverse
from django.utils.safestring import mark_safe

from core.dated import today
from core.escaping import escaped
from core.rows import dmy, url_for_each

from .templatetags.conventions_tags import email_wbr


def _text(value):
    return escaped(value)


def user_rows(convention, users, on=None):
    """Each user's row (a safe string, with the white space the template's loop wrote around it)."""
    on = on or today()
    update_url = url_for_each("conventions:user_update", convention.pk)
    close_url = url_for_each("conventions:user_close", convention.pk)
    history_url = url_for_each("conventions:user_history", convention.pk)
    add_to_group = _text(reverse("conventions:group_add_user", args=[convention.pk]))
    rows = []
    for user in users:
        name = _text(user)
        is_open = user.is_open(on)
        close = add = ""
        if is_open:
            close = (
                f' / <a href="{close_url(user.pk)}">Supprimer<span class="visually-hidden"> {name}</span></a>'
            )
            add = (
                f'<li><a href="{add_to_group}?utilisateur={int(user.pk)}">Ajouter à un groupe'
                f'<span class="visually-hidden"> : {name}</span></a></li>'
            )
        rows.append(
            mark_safe(
                "\n    <tr>\n"
                f"      <td>{_text(user.identifiant)}</td>\n"
                f'      <td class="portal-text">{_text(user.nom)}</td>\n'
                f'      <td class="portal-text">{_text(user.prenom)}</td>\n'
                f'      <td class="portal-text">{email_wbr(user.email)}</td>\n'
                f'      <td class="text-nowrap">{_text(user.telephone)}</td>\n'
                f"      <td>{dmy(user.date_ouverture)}</td>\n"
                f"      <td>{dmy(user.date_cloture)}</td>\n"
                f"      <td>{'Ouvert' if is_open else 'Fermé'}</td>\n"
                "      <td>\n"
                f'        <a href="{update_url(user.pk)}">Modifier<span class="visually-hidden"> {name}</span></a>\n'
                f"        {close}\n"
                "      </td>\n"
                "      <td>\n"
                '        <details class="portal-choose">\n'
                f'  <summary>Choisir…<span class="visually-hidden"> une action pour {name}</span></summary>\n'
                '  <ul class="list-unstyled">\n'
                f"    \n            {add}\n"
                f'            <li><a href="{history_url(user.pk)}">Historique'
                f'<span class="visually-hidden"> : {name}</span></a></li>\n'
                "        \n"
                "  </ul>\n"
                "</details>\n"
                "\n"
                "      </td>\n"
                "    </tr>\n  "
            )
        )
    return rows
