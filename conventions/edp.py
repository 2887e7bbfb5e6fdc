"""« Télécharger EDP »: the convention as a printable PDF (parties, dates, administrators, groups)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Tests set this to 0 to read the text of the pages without inflating the streams.
PAGE_COMPRESSION = 1


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=STYLES["BodyText"], fontSize=9, leading=11)
HEADER = ParagraphStyle("header", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
LABEL = ParagraphStyle("label", parent=CELL, fontName="Helvetica-Bold")


def _cell(value, style=CELL):
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def _table(rows, widths, header=True):
    """A grid of wrapped cells; with `header`, the first row is the blue header repeated on each page."""
    cells = [
        [_cell(value, HEADER if header and index == 0 else CELL) for value in row]
        for index, row in enumerate(rows)
    ]
    if not header:
        cells = [[_cell(row[0], LABEL), *row_cells[1:]] for row, row_cells in zip(rows, cells, strict=True)]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#004b87")))
    table.setStyle(TableStyle(style))
    return table


def _footer(canvas, document):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(2 * cm, 1.2 * cm, document.title)
    canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {document.page}")
    canvas.restoreState()


def build_edp(convention, administrators, groups):
    """`administrators`: ConventionAdministrator rows; `groups`: [(group, [memberships])]."""
    styles = STYLES
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"Convention Mon Compte Partenaire — {convention.libelle}",
        author=convention.caf.nom,
        lang="fr",
        pageCompression=PAGE_COMPRESSION,
    )
    organisme = convention.organisme
    story = [
        Paragraph("Convention de service Mon Compte Partenaire", styles["Title"]),
        Paragraph(escape(convention.libelle), styles["Heading2"]),
        Paragraph("Parties", styles["Heading3"]),
        _table(
            [
                ["Caf (CAF pivot)", convention.caf.nom],
                ["Partenaire", organisme.raison_sociale],
                ["SIRET", organisme.siret],
                ["Type de partenaire", organisme.type],
                ["Adresse", organisme.adresse or "—"],
            ],
            [5 * cm, 12 * cm],
            header=False,
        ),
        Paragraph("Convention", styles["Heading3"]),
        _table(
            [
                ["Libellé", "CAF pivot", "Date d'ouverture", "Date de clôture", "Statut", "État"],
                [
                    convention.libelle,
                    convention.caf.nom,
                    _date(convention.date_ouverture),
                    _date(convention.date_cloture),
                    convention.statut,
                    convention.get_etat_display(),
                ],
            ],
            [4.2 * cm, 3.3 * cm, 2.6 * cm, 2.6 * cm, 2 * cm, 2.3 * cm],
        ),
        Paragraph("Administrateurs MCP", styles["Heading3"]),
        _table(
            [["Administrateur", "Identifiant", "Début", "Fin", "Avenant"]]
            + [
                [
                    admin.user,
                    admin.user.identifiant,
                    _date(admin.date_debut),
                    _date(admin.date_fin),
                    " ".join(filter(None, [admin.avenant_reference, _date(admin.avenant_date)])) or "—",
                ]
                for admin in administrators
            ],
            [5 * cm, 2.8 * cm, 2.4 * cm, 2.4 * cm, 4.4 * cm],
        ),
    ]
    for group, memberships in groups:
        story.append(Paragraph(f"Groupe {escape(group.libelle)}", styles["Heading3"]))
        if memberships:
            story.append(
                _table(
                    [["Identifiant", "Nom Prénom", "Date d'ouverture", "Date de clôture"]]
                    + [
                        [
                            membership.user.identifiant,
                            membership.user,
                            _date(membership.date_ouverture),
                            _date(membership.date_cloture),
                        ]
                        for membership in memberships
                    ],
                    [3 * cm, 7 * cm, 3.5 * cm, 3.5 * cm],
                )
            )
        else:
            story.append(Paragraph("Aucun membre.", styles["BodyText"]))
    story += [
        Spacer(1, 0.8 * cm),
        Paragraph(f"Document édité le {_date(timezone.localdate())}.", styles["Italic"]),
    ]
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
