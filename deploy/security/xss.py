"""The XSS probe: a payload in every text field of every form, through the form as the user would send it,
then every page and export where it may come back, read for a payload left unescaped.

One payload carries the three shapes looked for: it starts with « = » (a formula in a CSV or XLSX cell), it
closes an attribute (« "' ») and it opens a <script>. Its number says which form and field wrote it."""

import csv
import io
import re
import zipfile

import openpyxl

MARK = "x13p"
RAW_SCRIPT = re.compile(rf"<script>{MARK}\d+")
RAW_QUOTE = re.compile(rf"""{MARK}\d+"'""")  # « " » left raw: an attribute can be closed
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def payload(number):
    return f"""={MARK}{number}"'><script>{MARK}{number}</script>"""


def filler(name, kind, number):
    """A value a form accepts for a required field that the probe does not target."""
    if kind == "email" or "mail" in name:
        return f"sonde{number}@example.test"
    if kind == "tel" or "phone" in name or "telephone" in name:
        return "0601020304"
    if kind == "number":
        return "1"
    return f"Sonde{number}"


def submission(target, field, number):
    """The form as it stands, `field` holding the payload and every other empty text field a plausible
    value (so that a creation form is valid and stores the payload)."""
    fields = []
    for name, value in target.fields:
        kind = target.types.get(name)
        if name == field:
            value = payload(number)
        elif (
            not value
            and kind in ("text", "email", "tel", "number", "textarea")
            and name in target.text_fields
        ):
            value = filler(name, kind, number)
        fields.append((name, value))
    return fields


def html_findings(where, response):
    """Unescaped payloads in an HTML response."""
    if "html" not in response.headers.get("Content-Type", ""):
        return []
    found = []
    for pattern, what in ((RAW_SCRIPT, "<script> non échappé"), (RAW_QUOTE, "guillemet non échappé")):
        for match in pattern.finditer(response.text):
            found.append(f"{where} : {what} ({match.group(0)[:30]})")
    return found


def export_findings(where, response):
    """Payloads left as formulas in a CSV or XLSX export."""
    kind = response.headers.get("Content-Type", "")
    body = response.content
    found = []
    if "csv" in kind or where.split("?")[0].endswith(".csv") or "/csv/" in where:
        text = body.decode("utf-8-sig", errors="replace")
        delimiter = ";" if text.count(";") >= text.count(",") else ","
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                if MARK in cell and cell.startswith(FORMULA_START):
                    found.append(f"{where} : cellule CSV lue comme une formule ({cell[:30]!r})")
    elif body[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(body))
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
            return [f"{where} : XLSX illisible ({error})"]
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and MARK in cell.value and cell.data_type == "f":
                        found.append(f"{where} : formule XLSX {cell.coordinate} ({cell.value[:30]!r})")
    return found


def markers(text):
    return set(re.findall(rf"{MARK}\d+", text))
