"""Exports of a list of declarations for the Caf: CSV (semicolons, decimal comma, no thousands separator: what a
French spreadsheet reads as numbers) and XLSX (numeric cells with a number format, shown « 19 284,00 h » by a
French spreadsheet). Every text goes through core.spreadsheet, so that none is run as a formula."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from afas.models import ActivityData
from core.spreadsheet import Sheet, neutralise, xlsx_file

from .checks import declaration_figures
from .fields import activity_fields

CENT = Decimal("0.01")

HEADERS = [
    "Caf",
    "Partenaire",
    "SIRET",
    "Activité",
    "Type d'activité",
    "Nature d'activité",
    "Type de déclaration",
    "Exercice",
    "État",
    "Date limite",
    "Hors délai",
    "Heures réalisées",
    "Heures facturées",
    "Capacité théorique (heures)",
    "Total des charges",
    "Total des produits",
    "Résultat",
    "Prix de revient horaire",
]


def rows(declarations):
    """One row per declaration, numbers as numbers (None when not computable)."""
    declarations = declarations.select_related(
        "activite__organisme__caf", "activite__type", "activite__nature", "campaign", "financial_data"
    ).prefetch_related(
        Prefetch("activity_data", queryset=ActivityData.objects.only("declaration_id", "values"))
    )
    for declaration in declarations:
        organisme = declaration.activite.organisme
        figures = declaration_figures(
            [part.values for part in declaration.activity_data.all()],
            declaration.financial_data.values,
            activity_fields(declaration.activite.type.code),
        )
        prix = figures["prix_revient_horaire"]
        yield [
            organisme.caf.nom,
            organisme.raison_sociale,
            organisme.siret,
            declaration.activite.nom,
            declaration.activite.type.code,
            declaration.activite.nature.libelle,
            declaration.get_type_display(),
            declaration.exercice,
            declaration.get_state_display(),
            declaration.date_limite,
            "Oui" if declaration.is_late else "Non",
            figures["heures_realisees"],
            figures["heures_facturees"],
            figures["capacite_theorique"],
            figures["total_charges"],
            figures["total_produits"],
            figures["resultat"],
            prix,
        ]


# Excel's format codes are written in its invariant locale; a French spreadsheet shows them the French way.
HOURS, EUROS = '#,##0.00\\ "h"', '#,##0.00\\ "€"'
FORMATS = {
    "Heures réalisées": HOURS,
    "Heures facturées": HOURS,
    "Capacité théorique (heures)": HOURS,
    "Total des charges": EUROS,
    "Total des produits": EUROS,
    "Résultat": EUROS,
    "Prix de revient horaire": EUROS,
}


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
    writer.writerow(HEADERS)
    for row in rows(declarations):
        writer.writerow(
            [neutralise(as_text(value)) if isinstance(value, str) else as_text(value) for value in row]
        )
    return buffer.getvalue().encode("utf-8")


def to_xlsx(declarations):
    figures = (
        [float(v.quantize(CENT, ROUND_HALF_UP)) if isinstance(v, Decimal) else v for v in row]
        for row in rows(declarations)
    )
    return xlsx_file(Sheet("Déclarations", HEADERS, figures, {**FORMATS, "Date limite": "DD/MM/YYYY"}))
