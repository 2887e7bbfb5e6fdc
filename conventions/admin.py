"""Caf back-office: types de partenaire, organismes, conventions and their MCP administrators, memberships.

An agent sees and changes only their own Caf's rows (CafScopedAdmin) and picks foreign keys among their
Caf's rows only (its caf_choices); nobody deletes. The list of Cafs is the superuser's (admin_site.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.models import User
from accounts.reauth import needs_reauth
from core.admin_scoping import (
    CafScopedAdmin,
    CafScopedInline,
    FileImportAdmin,
    ReadOnly,
    SharedReferenceAdmin,
    agent_caf_id,
)
from core.dates import PeriodFormMixin, validate_plausible_date

from .models import Caf, Convention, ConventionAdministrator, Membership, Organisme, PartnerType, UserImport
from .services import change_administrator, close_membership, overlapping_memberships
from .signals import membership_added, membership_closed


@admin.register(Caf)
class CafAdmin(admin.ModelAdmin):
    """The list of Cafs is the superuser's (national reference data: SuperuserOnlyAdmin, from the site).
    Not even a superuser deletes a Caf: its organismes, conventions and users would go with it."""

    list_display = ["nom", "code"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnerType)
class PartnerTypeAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    """Types de partenaire: shared by every Caf."""


@admin.register(Organisme)
class OrganismeAdmin(CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "caf"
    caf_choices = {"caf": "pk"}
    list_display = ["raison_sociale", "siret", "type", "caf"]
    list_filter = ["type"]
    list_select_related = ["type", "caf"]
    search_fields = ["raison_sociale", "siret"]

    def get_changeform_initial_data(self, request):
        return {"caf": agent_caf_id(request), **super().get_changeform_initial_data(request)}


class ConventionAdministratorInline(ReadOnly, CafScopedInline, admin.StackedInline):
    """Read only: the MCP administrators change through « Changement d'administrateur MCP » and its avenant,
    never by editing these rows (their text cells need no form labels)."""

    model = ConventionAdministrator
    extra = 0
    fields = ["user", "seat", "date_debut", "date_fin", "avenant_date", "avenant_reference"]
    readonly_fields = fields


class ChangeAdministratorForm(forms.Form):
    """« Changement d'administrateur MCP »: recorded with the avenant's date and reference."""

    former = forms.ModelChoiceField(
        label="Administrateur remplacé",
        queryset=ConventionAdministrator.objects.none(),
        required=False,
        empty_label="(aucun : nommer un second administrateur)",
    )
    new_user = forms.ModelChoiceField(label="Nouvel administrateur", queryset=User.objects.none())
    avenant_date = forms.DateField(
        label="Date de l'avenant", widget=AdminDateWidget, validators=[validate_plausible_date]
    )
    avenant_reference = forms.CharField(label="Référence de l'avenant", max_length=100)

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former"].queryset = convention.administrators.filter(
            date_fin__isnull=True
        ).select_related("user")
        self.fields["former"].label_from_instance = lambda row: f"{row.user} ({row.user.identifiant})"
        self.fields["new_user"].queryset = User.objects.open().filter(organisme=convention.organisme_id)
        self.fields["new_user"].label_from_instance = lambda user: f"{user} ({user.identifiant})"


class ConventionAdminForm(PeriodFormMixin, forms.ModelForm):
    class Meta:
        model = Convention
        fields = ["libelle", "caf", "organisme", "date_ouverture", "date_cloture", "etat", "email_caf"]


@admin.register(Convention)
class ConventionAdmin(CafScopedAdmin, admin.ModelAdmin):
    form = ConventionAdminForm
    caf_lookup = "caf"
    caf_choices = {"caf": "pk", "organisme": "caf"}
    list_display = ["libelle", "caf", "organisme", "date_ouverture", "date_cloture", "statut", "etat"]
    list_filter = ["etat"]
    list_select_related = ["caf", "organisme"]
    search_fields = ["libelle", "organisme__raison_sociale"]
    autocomplete_fields = ["organisme"]
    readonly_fields = ["current_administrators"]
    inlines = [ConventionAdministratorInline]
    actions = ["change_administrator_action"]

    def get_changeform_initial_data(self, request):
        return {"caf": agent_caf_id(request), **super().get_changeform_initial_data(request)}

    @admin.display(description="Administrateurs MCP en fonction")
    def current_administrators(self, obj):
        if obj.pk is None:
            return "—"
        rows = [row for row in obj.administrators.select_related("user") if row.is_current()]
        names = format_html_join(", ", "{} ({})", ((row.user, row.user.identifiant) for row in rows))
        url = reverse("admin:conventions_convention_change_administrator", args=[obj.pk])
        return format_html('{} — <a href="{}">Changement d\'administrateur MCP</a>', names or "aucun", url)

    @admin.action(description="Changement d'administrateur MCP")
    def change_administrator_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Sélectionnez une seule convention.", messages.WARNING)
            return None
        return redirect("admin:conventions_convention_change_administrator", queryset.get().pk)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/changement-administrateur/",
                self.admin_site.admin_view(self.change_administrator_view),
                name="conventions_convention_change_administrator",
            )
        ] + super().get_urls()

    def change_administrator_view(self, request, object_id):
        convention = self.get_object(request, object_id)  # scoped to the agent's Caf
        if convention is None:
            raise Http404
        if not self.has_change_permission(request, convention):
            raise PermissionDenied
        if reauth := needs_reauth(request, request.get_full_path()):  # a sensitive action (issue 13)
            return reauth
        form = ChangeAdministratorForm(request.POST or None, convention=convention)
        if form.is_valid():
            try:
                row = change_administrator(convention, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, convention, f"Changement d'administrateur MCP : {row.user}")
                self.message_user(
                    request, f"{row.user} est administrateur MCP à compter du {row.date_debut:%d/%m/%Y}."
                )
                return redirect("admin:conventions_convention_change", convention.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": convention,
            "title": "Changement d'administrateur MCP",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/conventions/convention/change_administrator.html", context)


class MembershipAdminForm(PeriodFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "group", "date_ouverture", "date_cloture"]

    def clean(self):
        cleaned = super().clean()
        user, group, opened = cleaned.get("user"), cleaned.get("group"), cleaned.get("date_ouverture")
        if user and group and opened:
            overlap = overlapping_memberships(user, group, opened, cleaned.get("date_cloture"))
            if self.instance.pk:
                overlap = overlap.exclude(pk=self.instance.pk)
            if overlap.exists():
                self.add_error("group", f"{user} est déjà membre de ce groupe sur cette période.")
        return cleaned


@admin.register(Membership)
class MembershipAdmin(CafScopedAdmin, admin.ModelAdmin):
    form = MembershipAdminForm
    caf_lookup = "user__organisme__caf"
    caf_choices = {"user": "organisme__caf"}
    list_display = ["user", "organisme", "group", "date_ouverture", "date_cloture", "en_cours", "closed_by"]
    list_filter = ["group"]
    list_select_related = ["user__organisme", "group", "closed_by"]
    search_fields = ["user__nom", "user__prenom", "user__identifiant"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_by", "created_at", "closed_by", "closed_at"]
    actions = ["close_selected"]

    @admin.display(description="organisme partenaire")
    def organisme(self, obj):
        return obj.user.organisme

    @admin.display(description="en cours", boolean=True)
    def en_cours(self, obj):
        return obj.is_current()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        closing = change and "date_cloture" in form.changed_data and obj.date_cloture is not None
        if closing:  # who closed it and when, as the « Clôturer » action and the portal record it
            obj.closed_by, obj.closed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        if not change:
            membership_added.send(sender=Membership, membership=obj, by=request.user)
        elif closing:
            membership_closed.send(sender=Membership, membership=obj, by=request.user)

    @admin.action(description="Clôturer")
    def close_selected(self, request, queryset):
        closed = 0
        for membership in queryset.select_related("user"):
            try:
                close_membership(membership, by=request.user)
            except ValidationError:
                continue
            closed += 1
        self.message_user(request, f"{closed} appartenance(s) clôturée(s) à la date du jour.")


@admin.register(UserImport)
class UserImportAdmin(FileImportAdmin, admin.ModelAdmin):
    """« Importer des utilisateurs » (rules 26–27) of the Caf's conventions: the file, who imported and
    confirmed it, when, from which address, how it ended. Read-only; the lines read are not shown (personal
    data, erased after 7 days): the users created are in their own screen."""

    caf_lookup = "convention__caf"
    subject = "convention"
    own_fields = [
        "refused_lines",
        "confirmed_by",
        "confirmed_at",
        "confirmed_ip",
        "finished_at",
        "created_count",
        "lines_forgotten_at",
    ]
    list_select_related = ["convention", "created_by"]
    search_fields = ["file_name", "convention__libelle", "created_by__identifiant", "created_by__nom"]

    @admin.display(description="lignes refusées")
    def refused_lines(self, user_import):
        return len({error["line"] for error in user_import.errors})

    @admin.display(description="utilisateurs créés")
    def created_count(self, user_import):
        return len(user_import.created_users)
