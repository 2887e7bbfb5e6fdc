"""Cells of a CSV or XLSX export that a spreadsheet will not run as a formula (OWASP « CSV Injection »).

A text a partner typed (an activité's name, a raison sociale) that starts with `=`, `+`, `-`, `@`, a tab or
a carriage return would be read as a formula (`=HYPERLINK(...)` a live link, `=cmd|...` a command): such a
text is prefixed with a single quote, and an XLSX cell holding text is always stored as text. Numbers and
dates are not text and keep their type."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would read as a formula, prefixed with « ' »; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def append_row(sheet, values):
    """Appends a row to an openpyxl sheet: texts neutralised and stored as text cells, never formulas."""
    sheet.append([neutralise(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
