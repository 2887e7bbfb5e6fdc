# Back-office of activités, lieux and habilitations: an agent sees only their Caf's partners.
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from accounts.reauth import needs_reauth
from core.admin_scoping import CafScopedAdmin, CafScopedInline, ReadOnly, SharedReferenceAdmin
from core.client_ip import client_ip
from core.errors import Refused

from ..habilitations.services import (
    refuse_approbateur,
    suspend_habilitation,
    validate_approbateur,
)
from ..models import (
    Activite,
    ActivityNature,
    ActivityType,
    ApprobateurAValider,
    AuditEvent,
    Habilitation,
    Lieu,
)


@admin.register(ActivityType)
class ActivityTypeAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    list_display = ["code", "libelle"]
    search_fields = ["code", "libelle"]


@admin.register(ActivityNature)
class ActivityNatureAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    """Natures d'activité: shared by every Caf."""


class LieuInline(CafScopedInline, admin.TabularInline):
    model = Lieu
    extra = 1
    fields = ["nom", "adresse"]


@admin.register(Activite)
class ActiviteAdmin(CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "organisme__caf"
    caf_choices = {"organisme": "caf"}
    list_display = ["nom", "organisme", "type", "nature"]
    list_filter = ["type", "nature"]
    search_fields = ["nom", "organisme__raison_sociale"]
    list_select_related = ["organisme", "type", "nature"]
    autocomplete_fields = ["organisme"]
    inlines = [LieuInline]


class AuditEventInline(ReadOnly, CafScopedInline, admin.TabularInline):
    model = AuditEvent
    fk_name = "habilitation"
    fields = ["at", "action", "actor", "ip_address", "details_display"]
    readonly_fields = fields
    extra = 0

    @admin.display(description="détails")
    def details_display(self, event):
        return describe_details(event.details)


@admin.action(description="Suspendre les habilitations sélectionnées")
def suspend(modeladmin, request, queryset):
    done = 0
    for habilitation in queryset.select_related("activite__organisme", "lieu", "user"):
        try:
            suspend_habilitation(habilitation, agent=request.user, ip_address=client_ip(request))
            done += 1
        except Refused as error:
            modeladmin.message_user(request, f"{habilitation} : {' '.join(error.messages)}", messages.WARNING)
    if done:
        modeladmin.message_user(
            request, f"{done} habilitation(s) suspendue(s) à la date du jour.", messages.SUCCESS
        )


HABILITATION_FIELDS = [
    "user",
    "role",
    "activite",
    "lieu",
    "debut",
    "fin",
    "granted_by",
    "granted_at",
    "ended_by",
    "ended_at",
    "caf_decision",
    "decided_by",
    "decided_at",
    "refusal_motif",
]


@admin.register(Habilitation)
class HabilitationAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """Read-only: habilitations are granted by the partner's administrator; agents suspend them."""

    caf_lookup = "activite__organisme__caf"
    list_display = ["user", "role", "activite", "lieu", "debut", "fin", "caf_decision"]
    list_filter = ["role", "caf_decision", "activite__type", "activite__nature"]
    search_fields = ["user__identifiant", "user__nom", "activite__nom", "activite__organisme__raison_sociale"]
    # The users of the page's 100 rows are read apart (one query by primary key): joined, PostgreSQL
    # looked up the user of every one of the Caf's ~9,900 habilitations before sorting them by activité,
    # lieu and rôle (EXPLAIN ANALYZE on the national set, median of 7: 183 -> 154 ms; the users: 0.2 ms).
    list_select_related = ["activite", "lieu"]
    # What the columns and the row checkbox's label (str: rôle, lieu or activité, user) read.
    list_only = ["user", "role", "activite__nom", "lieu__nom", "debut", "fin", "caf_decision"]
    # 600,000 rows nationally: one count (the Caf's) per page instead of two.
    show_full_result_count = False
    readonly_fields = HABILITATION_FIELDS
    fields = HABILITATION_FIELDS
    inlines = [AuditEventInline]
    actions = [suspend]

    def page_rows(self, queryset):
        # The users' names only, read by primary key for the page's rows.
        names = get_user_model().objects.only("nom", "prenom")
        return super().page_rows(queryset).prefetch_related(Prefetch("user", queryset=names))


class RefusalForm(forms.Form):
    motif = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Le motif du refus est obligatoire."},
    )


@admin.action(description="Valider")
def validate(modeladmin, request, queryset):
    if reauth := needs_reauth(request, request.get_full_path()):  # a sensitive action (issue 13)
        return reauth
    done = 0
    for habilitation in queryset.select_related("activite__organisme", "user"):
        try:
            validate_approbateur(
                habilitation, agent=request.user, ip_address=client_ip(request), request=request
            )
            done += 1
        except Refused as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.WARNING)
    if done:
        modeladmin.message_user(
            request, f"{done} habilitation(s) d'approbateur validée(s) ; le partenaire est prévenu par mail."
        )


@admin.action(description="Refuser")
def refuse(modeladmin, request, queryset):
    """Intermediate page: the motif is required, then every selected habilitation is refused."""
    form = RefusalForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for habilitation in queryset.select_related("activite__organisme", "user"):
            try:
                refuse_approbateur(
                    habilitation,
                    agent=request.user,
                    motif=form.cleaned_data["motif"],
                    ip_address=client_ip(request),
                    request=request,
                )
                done += 1
            except Refused as error:
                modeladmin.message_user(request, " ".join(error.messages), messages.WARNING)
        if done:
            modeladmin.message_user(
                request,
                f"{done} habilitation(s) d'approbateur refusée(s) ; le partenaire est prévenu par mail.",
            )
        return None
    return TemplateResponse(
        request,
        "admin/afas/refuse_approbateurs.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Refuser des habilitations d'approbateur",
            "habilitations": queryset.select_related("user", "activite__organisme"),
            "form": form,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(ApprobateurAValider)
class ApprobateurAValiderAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "activite__organisme__caf"
    list_display = ["partenaire", "user", "activite", "debut", "demandee_le", "demandee_par"]
    list_select_related = ["user", "activite__organisme", "granted_by"]
    search_fields = ["user__identifiant", "user__nom", "activite__nom", "activite__organisme__raison_sociale"]
    readonly_fields = HABILITATION_FIELDS
    fields = HABILITATION_FIELDS
    inlines = [AuditEventInline]
    actions = [validate, refuse]

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_caf()

    @admin.display(description="partenaire", ordering="activite__organisme__raison_sociale")
    def partenaire(self, obj):
        return obj.activite.organisme

    @admin.display(description="demandée le", ordering="granted_at")
    def demandee_le(self, obj):
        return obj.granted_at

    @admin.display(description="demandée par", ordering="granted_by__nom")
    def demandee_par(self, obj):
        return obj.granted_by

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """The audit trail, per habilitation (inline) and per user (filter « utilisateur concerné »)."""

    caf_lookup = "habilitation__activite__organisme__caf"
    list_display = ["at", "action", "actor", "subject", "habilitation", "ip_address"]
    list_filter = ["action", ("subject", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["subject__identifiant", "subject__nom", "actor__identifiant"]
    list_select_related = ["actor", "subject", "habilitation__activite", "habilitation__lieu"]
    readonly_fields = [
        "at",
        "action",
        "actor",
        "subject",
        "habilitation",
        "ip_address",
        "details_display",
    ]
    fields = readonly_fields  # the action's label, not its code; the details in words, not JSON

    def scope_to_caf(self, queryset, caf_id):
        # An event of an habilitation belongs to its activité's Caf; one of an account (created, closed,
        # groups, lockout) to the Caf of the account's organisme.
        return queryset.filter(
            Q(habilitation__activite__organisme__caf=caf_id)
            | Q(habilitation__isnull=True, subject__organisme__caf=caf_id)
        )

    @admin.display(description="détails")
    def details_display(self, event):
        return describe_details(event.details)


DETAIL_LABELS = {"scope": "périmètre", "motif": "motif"}


def describe_details(details):
    """« Périmètre : Péri Assoc ; motif : … » from the event's details."""
    return capfirst(" ; ".join(f"{DETAIL_LABELS.get(key, key)} : {value}" for key, value in details.items()))
