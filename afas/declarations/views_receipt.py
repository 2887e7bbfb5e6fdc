"""« Télécharger l'accusé de réception »: the PDF of one transmission of a declaration (rule 31)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .access import get_declaration_for_user
from .receipts import receipt_filename, receipt_of, receipt_pdf


def pdf_response(receipt):
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(receipt)}"'
    return response


@require_GET
def download_receipt(request, pk, number):
    """Whoever may see the declaration; `number` counts its transmissions (1 for the first). A declaration
    never transmitted has no receipt: 404."""
    declaration, _ = get_declaration_for_user(request.user, pk)
    receipt = receipt_of(declaration, number)
    if receipt is None:
        raise Http404
    return pdf_response(receipt)
