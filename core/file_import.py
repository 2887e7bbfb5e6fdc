"""Reading a table a user uploads (CSV or XLSX) into lines of text, for every import of the portal.

`read_table(uploaded_file, columns, required=...)` returns one `Line` per non-empty row below the header,
keyed by the declared column titles; it raises `ImportFileError` (a French message) when the whole file
is refused: too large, not a CSV nor an XLSX, an encoding it cannot read, missing or unknown columns.
Checking each line is the caller's job (a `LineError` per cell refused, with its line number and column).

- The format is chosen by the content, not only by the extension: an XLSX is a zip archive.
- A CSV may be in UTF-8 (with or without the BOM a spreadsheet writes) or in Windows-1252 / Latin-1; its
  separator, `;` or `,`, is the one that splits the header into the declared columns.
- Header titles are matched ignoring case, accents and spaces around them: « Prénom », « prenom », « PRENOM ».
- Empty lines are skipped; the other lines keep the number the user sees in their spreadsheet (header = 1
  when it is the first row).
- Formulas: nothing typed as a formula must be stored. The reader does not evaluate nor drop them: an XLSX
  formula cell is returned as its formula text (« =SOMME(A1:A3) »), exactly like a CSV cell starting with
  « = », and `formula_cells(lines)` returns a `LineError` for each such cell. Every import calls it and
  refuses those lines (see No formula stored, docs/domain.md).
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.http import HttpResponse
from openpyxl import load_workbook

from core.spreadsheet import Sheet, neutralise, xlsx_file

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TOO_LARGE = "Le fichier dépasse la taille maximale de 50 Mo."
NOT_A_TABLE = "Le fichier n’est ni un fichier CSV ni un classeur XLSX lisible."
SEPARATORS = (";", ",")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(Exception):
    """The whole file is refused; `message` (and `str()`) is the French sentence shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Line:
    number: int  # the line number the user sees in their spreadsheet (header = 1)
    values: dict[str, str]  # declared column title -> stripped cell text ("" when empty or absent)


@dataclass(frozen=True)
class LineError:
    line: int
    column: str | None
    message: str  # French


def read_table(uploaded_file, columns: Sequence[str], *, required: Sequence[str] = ()) -> list[Line]:
    """The lines of an uploaded CSV or XLSX whose header holds `columns` (`required` ones must be there;
    the others may be absent, their values are then ""). Raises ImportFileError for the whole file."""
    content = _read_bounded(uploaded_file)
    if not content.strip():
        raise ImportFileError("Le fichier est vide.")
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Le fichier est au format Excel 97-2003 (.xls) : enregistrez-le au format XLSX ou CSV."
        )
    else:
        rows = _csv_rows(_decode(content), columns)
    return _lines(rows, columns, required)


def formula_cells(lines: Iterable[Line]) -> list[LineError]:
    """A LineError for each cell holding a formula (an XLSX formula, or a text starting with « = »)."""
    return [
        LineError(line.number, column, "Une formule n’est pas acceptée : saisissez la valeur elle-même.")
        for line in lines
        for column, value in line.values.items()
        if value.startswith("=")
    ]


def template_response(filename_stem: str, columns: Sequence[str], rows: Iterable[Sequence], fmt: str):
    """A download of an empty (or example) file to fill in: `fmt` is "csv" (UTF-8 with BOM, `;`) or "xlsx".
    Every text goes through core.spreadsheet, so that none is run as a formula."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_file(Sheet("Modèle", columns, rows)), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise("" if value is None else str(value)) for value in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}.{fmt}"'
    return response


def normalise_title(title) -> str:
    """A header title as compared: no accents, no case, single spaces, none around it."""
    text = unicodedata.normalize("NFKD", str(title or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.replace("\ufeff", "").casefold().split())


def _read_bounded(uploaded_file) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportFileError(TOO_LARGE)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # One byte more than allowed tells a file that lied about its size without reading all of it.
    content = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(TOO_LARGE)
    return content


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16")
    elif content.startswith(b"\xef\xbb\xbf"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(
                "Le fichier annonce l’encodage UTF-8 mais contient des caractères illisibles : "
                "enregistrez-le à nouveau au format « CSV UTF-8 »."
            ) from None
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportFileError(
                    "L’encodage du fichier n’est pas reconnu : enregistrez-le au format « CSV UTF-8 »."
                ) from None
    if "\x00" in text:
        raise ImportFileError(NOT_A_TABLE)
    return text


def _csv_rows(text: str, columns: Sequence[str]) -> list[tuple[int, list[str]]]:
    known = {normalise_title(column) for column in columns}

    def recognised(separator):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        try:
            header = next((cells for cells in reader if any(cell.strip() for cell in cells)), [])
        except csv.Error:
            header = []
        return sum(normalise_title(cell) in known for cell in header), len(header)

    # The separator that recognises the most titles; on a tie, the one that splits the header more.
    separator = max(SEPARATORS, key=recognised)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=separator), start=1))
    except csv.Error:
        raise ImportFileError("Le fichier CSV est mal formé (un guillemet n’est-il pas refermé ?).") from None


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ImportFileError(NOT_A_TABLE) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            rows.append((number, [_cell_text(cell) for cell in cells]))
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(NOT_A_TABLE) from None
    finally:
        workbook.close()


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        text = getattr(value, "text", value)  # an array formula keeps its text in .text
        text = str(text or "")
        return text if text.startswith("=") else "=" + text
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _lines(rows, columns: Sequence[str], required: Sequence[str]) -> list[Line]:
    non_empty = [(number, cells) for number, cells in rows if any(str(cell).strip() for cell in cells)]
    if not non_empty:
        raise ImportFileError("Le fichier est vide.")
    (_, header), body = non_empty[0], non_empty[1:]
    by_title = {normalise_title(column): column for column in columns}
    positions = {}
    unknown = []
    duplicated = []
    for position, title in enumerate(header):
        key = normalise_title(title)
        if not key:
            continue
        column = by_title.get(key)
        if column is None:
            unknown.append(str(title).strip())
        elif column in positions:
            duplicated.append(column)
        else:
            positions[column] = position
    missing = [column for column in required if column not in positions]
    problems = []
    if missing:
        problems.append(_named("Colonne manquante", "Colonnes manquantes", missing))
    if unknown:
        problems.append(_named("Colonne inconnue", "Colonnes inconnues", unknown))
    if duplicated:
        problems.append(_named("Colonne en double", "Colonnes en double", duplicated))
    if not positions and not problems:
        problems.append(_named("Colonne attendue", "Colonnes attendues", list(columns)))
    if problems:
        expected = ", ".join(f"« {column} »" for column in columns)
        raise ImportFileError(" ".join(problems) + f" La première ligne doit porter les titres : {expected}.")
    lines = []
    for number, cells in body:
        values = {}
        for column in columns:
            position = positions.get(column)
            values[column] = (
                str(cells[position]).strip() if position is not None and position < len(cells) else ""
            )
        if any(values.values()):
            lines.append(Line(number=number, values=values))
    return lines


def _named(singular, plural, names):
    label = singular if len(names) == 1 else plural
    return f"{label} : " + ", ".join(f"« {name} »" for name in names) + "."
