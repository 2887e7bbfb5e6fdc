import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheet import Column, Sheet, append_row, column_sheet, neutralise, xlsx_file


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_a_text_read_as_a_formula_is_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Péri Assoc", "a=b", "", None, 12, Decimal("-3.5")])
def test_anything_else_is_unchanged(value):
    assert neutralise(value) == value


def test_an_xlsx_row_holds_text_cells_and_numbers():
    sheet = Workbook().active
    append_row(sheet, ['=HYPERLINK("http://x")', -2, "Nom"])
    cells = list(sheet[1])
    assert [cell.data_type for cell in cells] == ["s", "n", "s"]
    assert cells[0].value == '\'=HYPERLINK("http://x")'


def test_an_xlsx_file_holds_its_sheets_with_frozen_headers_formats_and_no_formula():
    content = xlsx_file(
        Sheet("Avancement", ["Organisme", "Revues"], [["=HYPERLINK(1)", 3]]),
        Sheet("Montants", ["Libellé", "Montant"], [["Achats", 12.5]], {"Montant": "#,##0.00"}),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Avancement", "Montants"]
    first, second = book["Avancement"], book["Montants"]
    assert [cell.value for cell in first[2]] == ["'=HYPERLINK(1)", 3]
    assert first["A2"].data_type == "s" and first.freeze_panes == "A2"
    assert second["B2"].value == 12.5 and second["B2"].number_format == "#,##0.00"
    assert second["A2"].number_format == "General"


def test_a_column_sheet_writes_each_header_above_its_cells_and_formats():
    columns = (
        Column("Nom", lambda item: item["nom"]),
        Column("Heures", lambda item: item["heures"], number_format="0.00"),
    )
    book = load_workbook(
        io.BytesIO(
            xlsx_file(
                column_sheet("Liste", columns, [{"nom": "=A1", "heures": 2.5}, {"nom": "B", "heures": 3}])
            )
        )
    )
    sheet = book["Liste"]
    assert list(sheet.values) == [("Nom", "Heures"), ("'=A1", 2.5), ("B", 3)]
    assert sheet["B2"].number_format == "0.00" and sheet["A2"].number_format == "General"
