from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.spreadsheet import append_row, neutralise


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
