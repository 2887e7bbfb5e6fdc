"""The accusé de réception of a transmission to the Caf (rules 30, 31).

`issue_receipt` runs inside the transaction that moves the declaration to « Transmise à la Caf »
(services.transmit): the receipt is numbered, per Caf and per year, under a lock on the Caf's row, so that
two transmissions at once never get the same number; it keeps the figures as sent (`figures_snapshot`).
`receipt_pdf` draws it, at any time afterwards, from that snapshot alone: a tagged PDF/UA with its fonts
embedded (WeasyPrint), no resource fetched but the fonts shipped in static/fonts/.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from afas.models import DeclarationType, FinancialData, Receipt, State
from conventions.models import Caf
from core.client_ip import client_ip

from .checks import declaration_figures, format_number, format_value
from .fields import FINANCIAL_FIELDS, KEY_FIGURES, activity_fields

FONTS = {"regular": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}


def reference_of(caf_code, year, number):
    """« AR-2026-CAF42-000123 »: readable, unique, in the order the Caf received them."""
    return f"AR-{year}-{caf_code}-{number:06d}"


def part_snapshot(title, part, fields):
    """A part's figures as sent: label, stored value and the value as shown (what did not read as a figure
    stays as typed), with the justifications written for its alerts."""
    rows = []
    for field in fields:
        value = part.values.get(field.code, "")
        shown = part.rejected.get(field.code) or format_value(value, field)
        rows.append({"code": field.code, "label": field.label, "value": value, "shown": shown})
    justifications = [{"code": code, "text": text} for code, text in part.justifications.items() if text]
    return {"title": title, "rows": rows, "justifications": justifications}


def figures_snapshot(declaration, activity_parts, financial_part):
    """What was sent, in plain JSON: it does not depend on the field lists or labels of a later version.
    Reads only attributes, so the data migration can call it with its historical models."""
    activite = declaration.activite
    fields = activity_fields(activite.type.code)
    parts = [
        part_snapshot(f"Données d'activité — {part.lieu.nom if part.lieu_id else activite.nom}", part, fields)
        for part in activity_parts
    ]
    parts.append(part_snapshot("Données financières", financial_part, FINANCIAL_FIELDS))
    computed = declaration_figures([p.values for p in activity_parts], financial_part.values, fields)
    key_figures = [
        {
            "code": key,
            "label": label,
            "value": None if computed.get(key) is None else str(computed[key]),
            "shown": "—" if computed.get(key) is None else format_number(computed[key], places) + unit,
        }
        for key, label, places, unit in KEY_FIGURES
    ]
    return {
        "declaration": {
            "type": DeclarationType(declaration.type).label,
            "exercice": declaration.exercice,
            "activite": activite.nom,
            "type_activite": activite.type.code,
            "nature": activite.nature.libelle,
            "organisme": activite.organisme.raison_sociale,
        },
        "parts": parts,
        "key_figures": key_figures,
    }


@transaction.atomic
def issue_receipt(declaration, by, at, request=None):
    """Rule 30: the receipt of a transmission, made with it (call it inside the transmission's transaction:
    the lock on the Caf's row is held until that one ends)."""
    caf = Caf.objects.select_for_update().get(pk=declaration.activite.organisme.caf_id)
    year = timezone.localtime(at).year
    last = Receipt.objects.filter(caf=caf, year=year).aggregate(last=Max("number"))["last"] or 0
    activity_parts = list(declaration.activity_data.select_related("lieu"))
    financial_part = FinancialData.objects.get(declaration=declaration)
    return Receipt.objects.create(
        declaration=declaration,
        caf=caf,
        year=year,
        number=last + 1,
        reference=reference_of(caf.code, year, last + 1),
        transmitted_by=by,
        transmitted_by_name=by.get_full_name() if by else "",
        transmitted_at=at,
        ip_address=client_ip(request),
        figures=figures_snapshot(declaration, activity_parts, financial_part),
    )


def receipt_of(declaration, number):
    """Rule 31: the `number`-th receipt of the declaration (1 for its first transmission), or None."""
    receipts = list(declaration.receipts.all()[number - 1 : number]) if number >= 1 else []
    return receipts[0] if receipts else None


def receipts_shown(declaration, history):
    """The receipts the declaration page lists (rule 31), read only for a declaration ever transmitted: each
    receipt is issued with a transmission (services.transmit, and the data migration for the transmissions
    before receipts existed), which leaves the declaration « Transmise à la Caf » (or « Validée » since),
    its state change in `history` (the page's list of them: never deleted) or its first date in
    `transmitted_at`. One query less for the declarations still in the partner's hands."""
    transmitted = (
        declaration.state in (State.TRANSMISE, State.VALIDEE)
        or declaration.transmitted_at is not None
        or any(change.to_state == State.TRANSMISE for change in history)
    )
    if not transmitted:
        return []
    return list(
        declaration.receipts.only("declaration", "reference", "transmitted_at", "transmitted_by_name")
    )


def font_urls():
    """file:// URLs of the shipped fonts: WeasyPrint embeds them and fetches nothing else."""
    return {name: Path(finders.find(path)).as_uri() for name, path in FONTS.items()}


def receipt_pdf(receipt):
    """Rule 31: the PDF/UA of a receipt (tagged, language fr-FR, a title, every font embedded)."""
    html = render_to_string(
        "afas/declarations/receipt_pdf.html",
        {"receipt": receipt, "figures": receipt.figures, "fonts": font_urls()},
    )
    # Imported here: WeasyPrint takes a while to load, and only this function needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


def receipt_filename(receipt):
    return f"accuse-de-reception-{receipt.reference}.pdf"
