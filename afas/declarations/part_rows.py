"""The rows of a part's table on the declaration page drawn in Python, the same HTML as the template drew
them (issue 12): a declaration of three lieux holds some 40 rows, and the template's tags per row (an
`ifchanged`, six `if`, four filters, some fifteen variable lookups) were the largest share of its page.
tests/afas/test_declaration_part_rows.py compares both drawings."""

from django.utils.safestring import mark_safe

from core.escaping import escaped

NONE = "—"


def _or_dash(text):
    """What the template's `|default:"—"` writes."""
    return escaped(text) if text else NONE


def draw_rows(block):
    """The block's field rows, then its computed figures (the financial part), as one safe string."""
    editable, conflict, unsaved, show_errors = (
        block.editable,
        block.conflict,
        block.unsaved,
        block.show_errors,
    )
    colspan = "4" if conflict or unsaved else "3"
    cells = []
    last = object()
    for row in block.rows:
        if row["group"] != last:  # the template's `ifchanged`: the first row opens its group too
            last = group = row["group"]
            if group:
                cells.append(
                    f'<tr class="afas-group"><th scope="rowgroup" colspan="{colspan}">{escaped(group)}</th></tr>'
                )
        ident = escaped(row.get("id", ""))
        label = escaped(row["label"])
        errors = row["errors"] if show_errors else None
        if editable:
            typed = row["typed"]
            invalid = f' aria-invalid="true" aria-describedby="{ident}-erreur"' if errors else ""
            entry = (
                f'<input type="text" name="{escaped(row["name"])}" id="{ident}" '
                f'value="{"" if typed is None else escaped(typed)}" inputmode="decimal" autocomplete="off" '
                f'class="form-control form-control-sm afas-number{" is-invalid" if errors else ""}"{invalid}>'
            )
            label = f'<label for="{ident}">{label}</label>'
        else:
            entry = _or_dash(row["value"])
        if errors:
            messages = "<br>".join(escaped(error) for error in errors)
            entry += f'<div class="invalid-feedback d-block" id="{ident}-erreur">{messages}</div>'
        saved = f"<td>{_or_dash(row['saved'])}</td>" if conflict else ""
        typed_again = f"<td>{_or_dash(row.get('typed'))}</td>" if unsaved else ""
        cells.append(
            f'<tr><th scope="row" class="fw-normal">{label}</th><td>{entry}</td>{saved}{typed_again}'
            f'<td class="afas-previous">{_or_dash(row["previous"])}</td></tr>'
        )
    if block.computed:
        cells.append(
            f'<tr class="afas-group"><th scope="rowgroup" colspan="{colspan}">Calculé automatiquement</th></tr>'
        )
        blank = "<td></td>" if conflict or unsaved else ""
        for row in block.computed:
            cells.append(
                f'<tr class="afas-computed"><th scope="row" class="fw-normal">{escaped(row["label"])}</th>'
                f"<td><strong>{escaped(row['value'])}</strong></td>{blank}"
                f'<td class="afas-previous">{_or_dash(row["previous"])}</td></tr>'
            )
    return mark_safe("\n".join(cells))
