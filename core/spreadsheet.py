"""Cells of a CSV or XLSX export that a spreadsheet will not run as a formula (OWASP « CSV Injection »).

A text a partner typed (an activité's name, a raison sociale) that starts with `=`, `+`, `-`, `@`, a tab or
a carriage return would be read as a formula (`=HYPERLINK(...)` a live link, `=cmd|...` a command): such a
text is prefixed with a single quote, and an XLSX cell holding text is always stored as text. Numbers and
dates are not text and keep their type."""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook

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


@dataclass
class Sheet:
    """One sheet of an XLSX export: its title, header row, rows, and number formats by header."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    number_formats: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """One column of an export: its header beside how each row's cell is read from the row's item, and the
    number format of its cells in an XLSX sheet, if any."""

    header: str
    cell: Callable
    number_format: str = ""


def headers(columns):
    return [column.header for column in columns]


def cells(columns, item):
    return [column.cell(item) for column in columns]


def number_formats(columns):
    return {column.header: column.number_format for column in columns if column.number_format}


def column_sheet(title, columns, items):
    """The sheet of one row per item, a cell per column, with the columns' number formats."""
    return Sheet(title, headers(columns), (cells(columns, item) for item in items), number_formats(columns))


def xlsx_file(*sheets):
    """The bytes of an XLSX workbook of these sheets: every row through `append_row` (no formula), the
    header row frozen, each column of `number_formats` given its format below the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        append_row(sheet, list(spec.headers))
        for row in spec.rows:
            append_row(sheet, list(row))
        for column, header in enumerate(spec.headers, start=1):
            if number_format := spec.number_formats.get(header):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
