"""Exports of a list of declarations for the Caf: CSV (semicolons, decimal comma, no thousands separator: what a
French spreadsheet reads as numbers) and XLSX (numeric cells with a number format, shown « 19 284,00 h » by a
French spreadsheet). Every text goes through core.spreadsheet, so that none is run as a formula."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Prefetch

from afas.models import ActivityData, Declaration
from core.spreadsheet import Column, Sheet, cells, headers, neutralise, number_formats, xlsx_file

from .checks import declaration_figures
from .fields import activity_fields

CENT = Decimal("0.01")

# Excel's format codes are written in its invariant locale; a French spreadsheet shows them the French way.
HOURS, EUROS = '#,##0.00\\ "h"', '#,##0.00\\ "€"'


class Line(NamedTuple):
    """One declaration of the export, with its figures."""

    declaration: Declaration
    figures: dict

    @property
    def activite(self):
        return self.declaration.activite

    @property
    def organisme(self):
        return self.declaration.activite.organisme


def figure(name):
    return lambda line: line.figures[name]


# One row per declaration, numbers as numbers (None when not computable).
COLUMNS = (
    Column("Caf", lambda line: line.organisme.caf.nom),
    Column("Partenaire", lambda line: line.organisme.raison_sociale),
    Column("SIRET", lambda line: line.organisme.siret),
    Column("Activité", lambda line: line.activite.nom),
    Column("Type d'activité", lambda line: line.activite.type.code),
    Column("Nature d'activité", lambda line: line.activite.nature.libelle),
    Column("Type de déclaration", lambda line: line.declaration.get_type_display()),
    Column("Exercice", lambda line: line.declaration.exercice),
    Column("État", lambda line: line.declaration.get_state_display()),
    Column("Date limite", lambda line: line.declaration.date_limite, "DD/MM/YYYY"),
    Column("Hors délai", lambda line: "Oui" if line.declaration.is_late else "Non"),
    Column("Heures réalisées", figure("heures_realisees"), HOURS),
    Column("Heures facturées", figure("heures_facturees"), HOURS),
    Column("Capacité théorique (heures)", figure("capacite_theorique"), HOURS),
    Column("Total des charges", figure("total_charges"), EUROS),
    Column("Total des produits", figure("total_produits"), EUROS),
    Column("Résultat", figure("resultat"), EUROS),
    Column("Prix de revient horaire", figure("prix_revient_horaire"), EUROS),
)


def lines(declarations):
    declarations = declarations.select_related(
        "activite__organisme__caf", "activite__type", "activite__nature", "campaign", "financial_data"
    ).prefetch_related(
        Prefetch("activity_data", queryset=ActivityData.objects.only("declaration_id", "values"))
    )
    for declaration in declarations:
        figures = declaration_figures(
            [part.values for part in declaration.activity_data.all()],
            declaration.financial_data.values,
            activity_fields(declaration.activite.type.code),
        )
        yield Line(declaration, figures)


def as_text(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT, ROUND_HALF_UP):f}".replace(".", ",")
    return str(value)


def to_csv(declarations):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers(COLUMNS))
    for row in (cells(COLUMNS, line) for line in lines(declarations)):
        writer.writerow(
            [neutralise(as_text(value)) if isinstance(value, str) else as_text(value) for value in row]
        )
    return buffer.getvalue().encode("utf-8")


def in_cents(value):
    return float(value.quantize(CENT, ROUND_HALF_UP)) if isinstance(value, Decimal) else value


def to_xlsx(declarations):
    rows = ([in_cents(value) for value in cells(COLUMNS, line)] for line in lines(declarations))
    return xlsx_file(Sheet("Déclarations", headers(COLUMNS), rows, number_formats(COLUMNS)))
