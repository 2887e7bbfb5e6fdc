"""« Importer des utilisateurs » of a convention (rules 26–27): the file, the check's progress and its
preview, the confirmation, the creation's progress and its result."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from conventions.forms import UserImportForm
from conventions.imports import (
    COLUMNS,
    confirm_user_import,
    read_user_lines,
    start_user_import,
)
from conventions.models import UserImport
from conventions.rights import partner_admin_required
from conventions.scoping import get_convention_for_admin
from core.client_ip import client_ip
from core.file_import import ImportFileError, template_response
from core.imports import PROGRESS_REFRESH_SECONDS
from core.links import absolute_url

LINES_PER_PAGE = 50


def get_import_for_admin(request, convention, import_pk):
    # Only the administrator who imported the file sees its lines; another id is a 404.
    return get_object_or_404(
        UserImport.objects.filter(convention=convention, created_by=request.user), pk=import_pk
    )


@partner_admin_required
def user_import(request, pk):
    convention = get_convention_for_admin(request.user, pk)
    form = UserImportForm(request.POST, request.FILES) if request.method == "POST" else UserImportForm()
    if form.is_valid():
        try:
            lines = read_user_lines(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            started = start_user_import(
                convention,
                lines,
                filename=form.cleaned_data["file"].name,
                by=request.user,
                ip=client_ip(request),
                site_base=absolute_url("/", request),
            )
            return redirect("conventions:user_import_detail", pk=convention.pk, import_pk=started.pk)
    return render(
        request,
        "conventions/users/import.html",
        {"convention": convention, "form": form, "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


@partner_admin_required
def user_import_template(request, pk, fmt):
    """« Télécharger le modèle »: an empty file with the expected titles."""
    get_convention_for_admin(request.user, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return template_response("modele-import-utilisateurs", COLUMNS, [], fmt)


@partner_admin_required
def user_import_detail(request, pk, import_pk):
    """The progress page while a step runs; then the preview, or the result."""
    convention = get_convention_for_admin(request.user, pk)
    imported = get_import_for_admin(request, convention, import_pk)
    context = {"convention": convention, "imported": imported, "columns": COLUMNS}
    if imported.is_running:
        context["refresh"] = PROGRESS_REFRESH_SECONDS
        return render(request, "conventions/users/import_progress.html", context)
    if imported.is_interrupted:
        return render(request, "conventions/users/import_interrupted.html", context)
    if imported.status == UserImport.Status.APPLIED:
        context["page"] = Paginator(imported.created_users, LINES_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "conventions/users/import_result.html", context)
    refused_only = request.GET.get("refusees") == "1"
    context["page"] = Paginator(preview_rows(imported, refused_only), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context["refused_only"] = refused_only
    context["refused_lines"] = len({error["line"] for error in imported.errors})
    return render(request, "conventions/users/import_preview.html", context)


def preview_rows(imported, refused_only):
    """Each line read with its values and its refusals (column, message), in the file's order."""
    refusals = {}
    for error in imported.errors:
        refusals.setdefault(error["line"], []).append(error)
    rows = [
        {
            "number": line["number"],
            "values": [line["values"][c] for c in COLUMNS],
            "errors": refusals.get(line["number"], []),
        }
        for line in imported.lines
    ]
    return [row for row in rows if row["errors"]] if refused_only else rows


@partner_admin_required
@require_POST
def user_import_confirm(request, pk, import_pk):
    """« Confirmer l'import »: queues the creation of every user (all or nothing)."""
    convention = get_convention_for_admin(request.user, pk)
    imported = get_import_for_admin(request, convention, import_pk)
    confirm_user_import(imported, by=request.user, ip=client_ip(request))
    return redirect("conventions:user_import_detail", pk=convention.pk, import_pk=imported.pk)
