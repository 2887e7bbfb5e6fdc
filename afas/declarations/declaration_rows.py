"""The rows of the table of declarations (templates/afas/declarations/_table.html: « Mes déclarations » and
« Accueil AFAS ») drawn in Python, character for character as the template drew them (issue 12): per row
it included `_date_limite.html` and `_actions.html` and resolved some twenty variables and a `{% url %}`
per action, a quarter of « Mes déclarations ». The URLs are reversed once per page.
tests/afas/test_declaration_rows.py compares both drawings."""

from django.utils.safestring import mark_safe

from core.dates import fr
from core.escaping import escaped
from core.rows import url_for_each

LATE = ' <span class="badge afas-late">Hors délai</span>'


def _date_limite(declaration):
    """What templates/afas/declarations/_date_limite.html writes."""
    deadline = declaration.date_limite
    return (fr(deadline) if deadline else "—") + (LATE if declaration.is_late else "")


def declaration_rows(rows, search, button, saisir):
    """`rows`: afas.declarations.views.with_actions; `search`, `button`, `saisir`: as _table.html's."""
    urls = {}

    def url_of(name, pk):
        if name not in urls:
            urls[name] = url_for_each(name)
        return urls[name](pk)

    button, saisir = escaped(button), escaped(saisir)
    drawn = []
    for row in rows:
        d = row["declaration"]
        kind, exercice, nom = escaped(d.get_type_display()), d.exercice, escaped(d.activite.nom)
        if search:
            cells = (
                f"<td>{kind}</td>\n    <td>{exercice}</td>\n    <td>{nom}</td>\n"
                f"    <td>{escaped(d.activite.type.code)}</td>"
            )
        else:
            cells = f"<td>{kind} {exercice}</td>\n    <td>{nom}</td>"
        deadline = _date_limite(d)
        if search:
            opens_on = d.opens_on
            if opens_on:
                deadline += f'<br><span class="small">La campagne ouvre le {fr(opens_on)}</span>'
        actions = "".join(
            f'<a class="btn btn-sm {button} me-1" href="{url_of(url_name, d.pk)}">'
            f"{saisir if label == 'Saisir' else escaped(label)}"
            f'<span class="visually-hidden"> : {kind} {exercice} {nom}</span></a>'
            for label, url_name in row["actions"]
        )
        drawn.append(
            f"\n  <tr>\n    {cells}\n    <td>{escaped(d.get_state_display())}</td>\n"
            f"    <td>{deadline}</td>\n    <td>{actions}</td>\n  </tr>\n  "
        )
    return mark_safe("".join(drawn))
