"""Back-office of the declarations: campaigns, the declarations by state, validation and exports."""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from afas.declarations import exports, services
from afas.declarations.checks import declaration_figures, format_number, format_value
from afas.declarations.fields import FINANCIAL_FIELDS, activity_fields
from afas.declarations.recap import declaration_recap
from afas.declarations.views_approval import return_form
from afas.declarations.views_receipt import pdf_response
from afas.models import Campaign, Declaration, Receipt, State
from core.admin_scoping import CafScopedAdmin, agent_caf_id, is_agent_of
from core.errors import confirmed

# What each alert of a part compares with the previous declaration (checks.py's alert codes).
ALERT_SUBJECTS = {
    "heures_realisees": "heures réalisées",
    "inscrits": "enfants inscrits",
    "prix_revient_horaire": "prix de revient horaire",
    "total_charges": "total des charges",
}


def justification_label(code, fields):
    """« Justification de l'écart : heures réalisées », never the code of the alert."""
    labels = {field.code: field.label.lower() for field in fields}
    subject = ALERT_SUBJECTS.get(code) or labels.get(code) or code.replace("_", " ")
    return f"Justification de l'écart : {subject}"


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["caf", "activity_type", "type", "exercice", "date_ouverture", "date_limite"]

    def clean(self):
        cleaned = super().clean()
        caf = cleaned.get("caf") or (self.instance.caf if self.instance.caf_id else None)
        opening, deadline = cleaned.get("date_ouverture"), cleaned.get("date_limite")
        if opening and deadline and deadline < opening:
            self.add_error("date_limite", "La date limite doit suivre la date d'ouverture.")
        if self.instance.pk is None and caf:
            duplicate = Campaign.objects.filter(
                caf=caf,
                activity_type=cleaned.get("activity_type"),
                type=cleaned.get("type"),
                exercice=cleaned.get("exercice"),
            )
            if duplicate.exists():
                raise forms.ValidationError("Cette campagne est déjà ouverte pour votre Caf.")
        return cleaned


def shown(part, field):
    """A stored figure formatted (« 19 284,00 h »), or what was typed when it did not read as a figure."""
    return part.rejected.get(field.code) or format_value(part.values.get(field.code, ""), field)


@admin.register(Campaign)
class CampaignAdmin(CafScopedAdmin, admin.ModelAdmin):
    """« Ouvrir une campagne »: creates the declarations « À saisir » and mails the approbateurs."""

    form = CampaignForm
    list_display = ["__str__", "date_ouverture", "date_limite", "declaration_count", "opened_by"]
    list_filter = ["type", "exercice", "activity_type"]
    readonly_fields = ["opened_by", "opened_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(declaration_count=Count("declarations"))

    @admin.display(description="déclarations")
    def declaration_count(self, campaign):
        return campaign.declaration_count

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            form.base_fields.pop("caf", None)

            caf_id = agent_caf_id(request)

            class AgentCampaignForm(form):
                def clean(self):
                    self.instance.caf_id = caf_id
                    self.cleaned_data["caf"] = self.instance.caf
                    return super().clean()

            return AgentCampaignForm
        return form

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not request.user.is_superuser and "caf" in fields:
            fields.remove("caf")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ["caf", "activity_type", "type", "exercice", "date_ouverture", "opened_by", "opened_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if not request.user.is_superuser:
            obj.caf_id = agent_caf_id(request)
        created = services.open_campaign(obj, request.user, request)
        messages.success(request, f"Campagne ouverte : {len(created)} déclaration(s) créée(s) « À saisir ».")


class ExerciceFilter(admin.AllValuesFieldListFilter):
    """« Exercice »: every year from the country's first exercice to its last, read on the (exercice, type)
    index (two probes), instead of the distinct exercices of the Caf's declarations, which sorted all of
    them (~6,600 rows for a Caf of the national data set: 31 ms of SQL per page). Same parameter and
    links as Django's filter; a year between the two without any of the Caf's declarations lists none."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        bounds = model._default_manager.aggregate(first=Min(field.name), last=Max(field.name))
        first, last = bounds["first"], bounds["last"]
        self.lookup_choices = range(first, last + 1) if first is not None else []


# The labels of the changelist's columns, read once: `get_FOO_display` rebuilds the dict of the choices at
# every call (two calls per row).
TYPE_LABELS = dict(Declaration._meta.get_field("type").flatchoices)
STATE_LABELS = dict(Declaration._meta.get_field("state").flatchoices)


@functools.lru_cache(maxsize=1024)
def short_date(day, language):
    """« 30/04/2026 » in the request's language, formatted once per date limite (a page shows few)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@admin.register(Declaration)
class DeclarationAdmin(CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "activite__organisme__caf"
    # Five columns: État (with « Hors délai ») and Date limite stay visible at 1280 px beside the filters.
    list_display = ["activite", "organisme", "declaration", "etat", "date_limite"]
    list_filter = ["state", "type", ("exercice", ExerciceFilter), "activite__type"]
    search_fields = ["activite__nom", "activite__organisme__raison_sociale"]
    list_select_related = ["activite__organisme", "campaign"]
    # What the columns read (« Hors délai »: the état, the first transmission, the campaign's date limite).
    list_only = [
        "activite__nom",
        "activite__organisme__raison_sociale",
        "type",
        "exercice",
        "state",
        "transmitted_at",
        "campaign__date_limite",
    ]
    # 400,000 rows nationally: one count (the Caf's) per page instead of two.
    show_full_result_count = False
    change_form_template = "admin/afas/declaration/change_form.html"
    change_list_template = "admin/afas/declaration/change_list.html"
    fields = [
        "activite",
        "organisme",
        "type",
        "exercice",
        "state",
        "date_limite",
        "delai",
        "figures",
        "receipts",
        "history",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="partenaire", ordering="activite__organisme__raison_sociale")
    def organisme(self, declaration):
        return declaration.activite.organisme

    @admin.display(description="déclaration", ordering="exercice")
    def declaration(self, declaration):
        return f"{TYPE_LABELS.get(declaration.type, declaration.type)} {declaration.exercice}"

    @admin.display(description="état", ordering="state")
    def etat(self, declaration):
        state = STATE_LABELS.get(declaration.state, declaration.state)
        return f"{state} — Hors délai" if declaration.is_late else state

    @admin.display(description="date limite", ordering="campaign__date_limite")
    def date_limite(self, declaration):
        # Formatted here: a read-only field that is not a model field is shown as str(), i.e. ISO.
        deadline = declaration.date_limite
        return short_date(deadline, get_language()) if deadline else ""

    @admin.display(description="délai")
    def delai(self, declaration):
        return "Hors délai" if declaration.is_late else "Dans les délais"

    @admin.display(description="chiffres déclarés")
    def figures(self, declaration):
        parts = list(declaration.activity_data.select_related("lieu"))
        financial = declaration.financial_data
        lines = []
        for part in parts:
            lines.append((f"Données d'activité — {part.lieu or declaration.activite}", ""))
            for field in activity_fields(declaration.activite.type.code):
                lines.append((field.label, shown(part, field)))
            lines.extend(
                (justification_label(code, activity_fields(declaration.activite.type.code)), text)
                for code, text in part.justifications.items()
            )
        lines.append(("Données financières", ""))
        lines.extend((field.label, shown(financial, field)) for field in FINANCIAL_FIELDS)
        lines.extend(
            (justification_label(code, FINANCIAL_FIELDS), text)
            for code, text in financial.justifications.items()
        )
        computed = declaration_figures(
            [p.values for p in parts], financial.values, activity_fields(declaration.activite.type.code)
        )
        for key, label, unit in [
            ("total_charges", "Total des charges", "\u00a0€"),
            ("total_produits", "Total des produits", "\u00a0€"),
            ("resultat", "Résultat", "\u00a0€"),
            ("heures_realisees", "Heures réalisées", "\u00a0h"),
            ("prix_revient_horaire", "Prix de revient horaire", "\u00a0€"),
        ]:
            lines.append((label, format_number(computed[key]) + unit if computed[key] is not None else "—"))
        return format_html(
            "<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", lines)
        )

    @admin.display(description="accusés de réception")
    def receipts(self, declaration):
        receipts = declaration.receipts.defer("figures")
        if not receipts:
            return "Aucun : la déclaration n'a pas été transmise."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">Télécharger l\'accusé de réception {}</a> (PDF) — transmise le {}{}</li>',
                (
                    (
                        reverse("admin:afas_declaration_receipt", args=[receipt.pk]),
                        receipt.reference,
                        formats.date_format(
                            timezone.localtime(receipt.transmitted_at), "SHORT_DATETIME_FORMAT"
                        ),
                        f" par {receipt.transmitted_by_name}" if receipt.transmitted_by_name else "",
                    )
                    for receipt in receipts
                ),
            ),
        )

    @admin.display(description="historique")
    def history(self, declaration):
        changes = declaration.state_changes.select_related("by")
        return format_html(
            '<table><thead><tr><th scope="col">Le</th><th scope="col">Par</th><th scope="col">Changement '
            'd\'état</th><th scope="col">Commentaire</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                (
                    (
                        formats.date_format(timezone.localtime(c.at), "SHORT_DATETIME_FORMAT"),
                        c.by or "",
                        c.get_from_state_display(),
                        c.get_to_state_display(),
                        c.comment,
                    )
                    for c in changes
                ),
            ),
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/valider/",
                self.admin_site.admin_view(self.validate_view),
                name="afas_declaration_validate",
            ),
            path(
                "<int:pk>/retourner/",
                self.admin_site.admin_view(self.return_view),
                name="afas_declaration_return",
            ),
            path(
                "accuse-de-reception/<int:pk>/",
                self.admin_site.admin_view(self.receipt_view),
                name="afas_declaration_receipt",
            ),
            path(
                "export/csv/", self.admin_site.admin_view(self.export_csv), name="afas_declaration_export_csv"
            ),
            path(
                "export/xlsx/",
                self.admin_site.admin_view(self.export_xlsx),
                name="afas_declaration_export_xlsx",
            ),
        ]
        return own + super().get_urls()

    def get_scoped(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        declaration = get_object_or_404(
            self.get_queryset(request).select_related("activite__organisme"), pk=pk
        )
        if not is_agent_of(request.user, declaration.activite.organisme.caf_id):
            raise PermissionDenied
        return declaration

    def validate_view(self, request, pk):
        """A recap (parts, alerts and their justifications, key figures) and a confirmation, as the partner's
        « Transmettre à la Caf »; only the POST of the confirmation validates."""
        declaration = self.get_scoped(request, pk)
        validated = "La déclaration est validée par la Caf."
        if confirmed(request, lambda: services.validate(declaration, request.user, request), validated):
            return redirect("admin:afas_declaration_change", pk)
        refusal = services.state_refusal(declaration, State.TRANSMISE, "validée")
        if refusal:
            messages.error(request, refusal)
            return redirect("admin:afas_declaration_change", pk)
        context = {
            **self.admin_site.each_context(request),
            **declaration_recap(declaration),
            "title": "Valider la déclaration",
            "declaration": declaration,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/afas/declaration/validate.html", context)

    def return_view(self, request, pk):
        declaration = self.get_scoped(request, pk)
        form = return_form(
            request, declaration, services.CAF, "La déclaration est retournée au partenaire pour correction."
        )
        if form is None:
            return redirect("admin:afas_declaration_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Retourner pour correction",
            "declaration": declaration,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/afas/declaration/return.html", context)

    def receipt_view(self, request, pk):
        """The PDF of one accusé de réception (rule 31), for the agent of the declaration's Caf; else 404."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        receipt = get_object_or_404(Receipt.objects.filter(declaration__in=self.get_queryset(request)), pk=pk)
        return pdf_response(receipt)

    def filtered(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters as error:  # the changelist redirects with ?e=1; a file cannot
            raise BadRequest("Paramètres d'export incorrects.") from error

    def export_csv(self, request):
        response = HttpResponse(
            exports.to_csv(self.filtered(request)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="declarations.csv"'
        return response

    def export_xlsx(self, request):
        response = HttpResponse(
            exports.to_xlsx(self.filtered(request)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="declarations.xlsx"'
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        declaration = self.get_object(request, object_id)  # a malformed or another Caf's id: 404
        extra_context = extra_context or {}
        extra_context["validate_url"] = reverse("admin:afas_declaration_validate", args=[declaration.pk])
        extra_context["return_url"] = reverse("admin:afas_declaration_return", args=[declaration.pk])
        return super().change_view(request, object_id, form_url, extra_context)
