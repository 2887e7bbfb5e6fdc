"""Import of données d'activité from a file into the declarations of a campaign (rules 23–25): the upload
with its template, the progress of the check, the preview and its confirmation, the result."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from afas.models import DeclarationImport
from conventions.rights import declarant_required
from core.client_ip import client_ip
from core.errors import Refused
from core.file_import import MAX_UPLOAD_BYTES, ImportFileError, read_table, template_response
from core.imports import PROGRESS_REFRESH_SECONDS

from . import imports
from .fields import activity_fields

TEMPLATE_EXTENSIONS = ("csv", "xlsx")
WORKBOOK_START = b"PK\x03\x04"  # an XLSX is a zip archive, as core/file_import.py tells them apart


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier des données d'activité (CSV ou XLSX)",
        help_text="Le modèle ci-dessus, complété. 50 Mo au maximum.",
        error_messages={"required": "Choisissez le fichier à importer."},
    )


def upload_context(request, campaign, form):
    fields = activity_fields(campaign.activity_type.code)
    return {
        "campaign": campaign,
        "form": form,
        "columns": imports.COLUMNS,
        "required_columns": imports.REQUIRED_COLUMNS,
        "fields": fields,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        "imports": DeclarationImport.objects.filter(created_by=request.user, campaign=campaign)[:10],
    }


@declarant_required
def import_upload(request, campaign_pk):
    campaign = imports.get_campaign_for_provider(request.user, campaign_pk)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            lines = read_table(uploaded, imports.COLUMNS, required=imports.REQUIRED_COLUMNS)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            uploaded.seek(0)
            started = imports.start_import(
                request.user,
                campaign,
                uploaded.name,
                [(line.number, line.values) for line in lines],
                client_ip(request),
                workbook=uploaded.read(4) == WORKBOOK_START,
            )
            return redirect("afas:declaration_import_detail", campaign.pk, started.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "afas/declarations/import_upload.html",
        upload_context(request, campaign, form),
        status=status,
    )


@require_GET
@declarant_required
def import_template(request, campaign_pk, fmt):
    campaign = imports.get_campaign_for_provider(request.user, campaign_pk)
    if fmt not in TEMPLATE_EXTENSIONS:
        raise Http404
    name = f"donnees-activite-{campaign.get_type_display()}-{campaign.exercice}".lower()
    return template_response(name, imports.COLUMNS, imports.template_rows(request.user, campaign), fmt)


@require_GET
@declarant_required
def import_detail(request, campaign_pk, import_pk):
    campaign = imports.get_campaign_for_provider(request.user, campaign_pk)
    declaration_import = imports.get_import_for_user(request.user, campaign, import_pk)
    context = {
        "campaign": campaign,
        "import": declaration_import,
        "refresh": PROGRESS_REFRESH_SECONDS,
    }
    if declaration_import.is_running:
        return render(request, "afas/declarations/import_progress.html", context)
    if declaration_import.status == DeclarationImport.Status.CHECKED:
        context["refusal"] = imports.may_apply(declaration_import)
        context["preview"] = declaration_import.preview
        return render(request, "afas/declarations/import_preview.html", context)
    context["preview"] = declaration_import.preview
    return render(request, "afas/declarations/import_result.html", context)


@require_POST
@declarant_required
def import_confirm(request, campaign_pk, import_pk):
    campaign = imports.get_campaign_for_provider(request.user, campaign_pk)
    declaration_import = imports.get_import_for_user(request.user, campaign, import_pk)
    try:
        imports.confirm_import(declaration_import)
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("afas:declaration_import_detail", campaign.pk, declaration_import.pk)
