import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.file_import import (
    MAX_UPLOAD_BYTES,
    ImportFileError,
    Line,
    LineError,
    formula_cells,
    read_table,
    template_response,
)

COLUMNS = ("Nom", "Prénom", "Mail", "Téléphone")
REQUIRED = ("Nom", "Prénom", "Mail")


def upload(content, name="utilisateurs.csv"):
    return SimpleUploadedFile(name, content)


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content, name="utilisateurs.csv"):
    return read_table(upload(content, name), COLUMNS, required=REQUIRED)


@pytest.mark.parametrize(
    "encoding, prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("latin-1", b""), ("cp1252", b""), ("utf-16", b"")],
)
def test_accents_are_read_whatever_the_encoding(encoding, prefix):
    text = "Nom;Prénom;Mail;Téléphone\nLefèvre;Hélène;helene@exemple.fr;0612345678\n"
    lines = read(prefix + text.encode(encoding))
    assert lines == [
        Line(
            2, {"Nom": "Lefèvre", "Prénom": "Hélène", "Mail": "helene@exemple.fr", "Téléphone": "0612345678"}
        )
    ]


def test_windows_1252_characters_are_not_mojibake():
    lines = read("Nom;Prénom;Mail\nŒuvre;Zoë – “Jo”;a@b.fr\n".encode("cp1252"))
    assert lines[0].values["Nom"] == "Œuvre"
    assert lines[0].values["Prénom"] == "Zoë – “Jo”"


def test_an_undecodable_file_is_refused_with_a_clear_message():
    with pytest.raises(ImportFileError, match="encodage"):
        read(b"Nom;Pr\xc3\xa9nom;Mail\n\x81\x8d;\xc3;x\n")


def test_a_bom_file_with_broken_utf8_is_refused():
    with pytest.raises(ImportFileError, match="UTF-8"):
        read(b"\xef\xbb\xbfNom;Prenom;Mail\nL\xe9a;b;c\n")


@pytest.mark.parametrize("separator", [";", ","])
def test_the_separator_is_detected(separator):
    text = separator.join(["Nom", "Prénom", "Mail"]) + "\n" + separator.join(["Dupont", "Jean", "j@d.fr"])
    assert read(text.encode())[0].values == {
        "Nom": "Dupont",
        "Prénom": "Jean",
        "Mail": "j@d.fr",
        "Téléphone": "",
    }


def test_quoted_cells_keep_their_separators_and_line_breaks():
    text = 'Nom,Prénom,Mail\n"Dupont, fils";"Jean";j@d.fr\n'.replace(";", ",")
    text += '"Martin\nBis",Anne,a@m.fr\nDurand,Luc,l@d.fr\n'
    lines = read(text.encode())
    assert lines[0].values["Nom"] == "Dupont, fils"
    assert lines[1].values["Nom"] == "Martin\nBis"
    assert [line.number for line in lines] == [2, 3, 4]


def test_empty_lines_are_skipped_and_the_others_keep_their_number():
    text = "Nom;Prénom;Mail\n\nDupont;Jean;j@d.fr\n;;\n  ;  ;\nMartin;Anne;a@m.fr\n\n"
    lines = read(text.encode())
    assert [line.number for line in lines] == [3, 6]


def test_titles_match_ignoring_case_accents_and_spaces():
    lines = read(b"  NOM ; prenom ;MAIL;telephone \nDupont; Jean ;j@d.fr;06\n")
    assert lines[0].values == {"Nom": "Dupont", "Prénom": "Jean", "Mail": "j@d.fr", "Téléphone": "06"}


def test_columns_may_come_in_any_order():
    lines = read(b"Mail;Nom;Prenom\nj@d.fr;Dupont;Jean\n")
    assert lines[0].values["Nom"] == "Dupont"


def test_missing_and_unknown_columns_are_named():
    with pytest.raises(ImportFileError) as error:
        read(b"Nom;Courriel;Age\nDupont;j@d.fr;3\n")
    message = error.value.message
    assert "Colonnes manquantes : « Prénom », « Mail »." in message
    assert "Colonnes inconnues : « Courriel », « Age »." in message
    assert str(error.value) == message


def test_a_column_twice_is_refused():
    with pytest.raises(ImportFileError, match="Colonne en double : « Nom »"):
        read(b"Nom;Prenom;Mail;nom\n")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_an_empty_file_is_refused(content):
    with pytest.raises(ImportFileError, match="vide"):
        read(content)


def test_a_binary_file_is_refused():
    with pytest.raises(ImportFileError, match="ni un fichier CSV ni un classeur XLSX"):
        read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv")


def test_a_broken_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="ni un fichier CSV ni un classeur XLSX"):
        read(b"PK\x03\x04 not really a zip", "liste.xlsx")


def test_an_old_xls_is_refused_with_advice():
    with pytest.raises(ImportFileError, match="XLSX ou CSV"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "liste.xls")


def test_an_xlsx_is_read_by_its_content_whatever_its_name():
    content = xlsx(
        [["Nom", "Prénom", "Mail", "Téléphone"], [None, None, None], ["Dupont", "Jean", "j@d.fr", 612345678]]
    )
    lines = read(content, "liste.csv")
    assert lines == [Line(3, {"Nom": "Dupont", "Prénom": "Jean", "Mail": "j@d.fr", "Téléphone": "612345678"})]


def test_a_csv_named_xlsx_is_read_as_csv():
    assert read(b"Nom;Prenom;Mail\nDupont;Jean;j@d.fr\n", "liste.xlsx")[0].values["Nom"] == "Dupont"


def test_formulas_are_reported_per_cell_in_csv_and_xlsx():
    csv_lines = read(b'Nom;Prenom;Mail\n=HYPERLINK("http://x");Jean;j@d.fr\nDupont;a=b;+33\n')
    xlsx_lines = read(
        xlsx(
            [["Nom", "Prénom", "Mail"], ["=1+1", "Jean", '=CONCAT("a","@b.fr")'], ["Dupont", "Luc", "l@d.fr"]]
        )
    )
    assert formula_cells(csv_lines) == [LineError(2, "Nom", formula_cells(csv_lines)[0].message)]
    assert "formule" in formula_cells(csv_lines)[0].message
    assert [(error.line, error.column) for error in formula_cells(xlsx_lines)] == [(2, "Nom"), (2, "Mail")]
    assert xlsx_lines[0].values["Nom"] == "=1+1"  # the formula's text, never its computed value


def test_a_file_over_50_mb_is_refused_before_it_is_read():
    class Huge:
        size = MAX_UPLOAD_BYTES + 1

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(ImportFileError, match=r"^Le fichier dépasse la taille maximale de 50 Mo\.$"):
        read_table(Huge(), COLUMNS)


def test_a_file_that_hides_its_size_is_cut_at_the_limit():
    stream = io.BytesIO(b"Nom;Prenom;Mail\n" + b"a" * MAX_UPLOAD_BYTES)
    with pytest.raises(ImportFileError, match="50 Mo"):
        read_table(stream, COLUMNS)


def test_a_file_just_under_the_limit_is_read():
    row = b"Dupont;Jean;" + b"j" * 100_000 + b"@d.fr\n"
    count = (MAX_UPLOAD_BYTES - 20) // len(row)
    body = b"Nom;Prenom;Mail\n" + row * count
    assert len(body) <= MAX_UPLOAD_BYTES
    assert len(read(body)) == count


def test_the_csv_template_has_a_bom_semicolons_and_neutralised_texts():
    response = template_response("modele", COLUMNS, [["=1+1", "Jean", "j@d.fr", "06"]], "csv")
    assert response["Content-Disposition"] == 'attachment; filename="modele.csv"'
    assert response.content.decode("utf-8") == "\ufeffNom;Prénom;Mail;Téléphone\r\n'=1+1;Jean;j@d.fr;06\r\n"


def test_the_xlsx_template_reads_back_as_the_same_lines():
    response = template_response("modele", COLUMNS, [["Dupont", "Jean", "j@d.fr", "0612"]], "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="modele.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert read(response.content)[0].values["Téléphone"] == "0612"
