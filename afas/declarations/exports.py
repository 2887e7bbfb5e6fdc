"""Exports of a list of declarations for the Caf: CSV (semicolons, for a French spreadsheet) and XLSX."""

import csv
import io

from django.db.models import Prefetch
from openpyxl import Workbook

from afas.models import ActivityData

from .checks import declaration_figures
from .fields import activity_fields

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
            figures["heures_realisees"],
            figures["heures_facturees"],
            figures["capacite_theorique"],
            figures["total_charges"],
            figures["total_produits"],
            figures["resultat"],
            round(prix, 2) if prix is not None else None,
        ]


def as_text(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value).replace(".", ",") if not isinstance(value, str) else value


def to_csv(declarations):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows(declarations):
        writer.writerow([as_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(declarations):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Déclarations"
    sheet.append(HEADERS)
    for row in rows(declarations):
        sheet.append([float(v) if hasattr(v, "is_finite") else v for v in row])
    for cell in sheet["J"][1:]:
        cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
