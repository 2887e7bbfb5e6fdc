"""Back-office of the declaration mails and receipts, read-only: they are a trace. The agent answers « ce
partenaire a-t-il reçu le rappel ? » (SentReminder, rule 28), « a-t-il coupé ce mail ? » (MailPreference,
« Mes notifications ») and finds an accusé de réception by its number (Receipt, rules 30–31)."""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from afas.models import MailPreference, Receipt, SentReminder
from core.admin_scoping import CafScopedAdmin, ReadOnly

# Who received or chose: searched by identifiant, name, address or partner, never listed in a select.
USER_SEARCH = ["user__identifiant", "user__nom", "user__email", "user__organisme__raison_sociale"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """The mails of the daily job: the opening of a campaign, the reminders 15 and 3 days before its date
    limite; one row per mail and person, written with the mail."""

    list_display = ["sent_at", "user", "partenaire", "kind", "about"]
    list_filter = ["kind", "sent_at"]
    search_fields = [*USER_SEARCH, "declaration__activite__nom"]
    list_select_related = [
        "user__organisme",
        "declaration__activite",
        "campaign__activity_type",
        "campaign__caf",
    ]
    raw_id_fields = ["user", "declaration", "campaign"]
    fields = ["sent_at", "user", "kind", "declaration", "campaign"]
    readonly_fields = fields
    # One mail per person and reminder, nationally: one count (the Caf's) per page instead of two.
    show_full_result_count = False

    def scope_to_caf(self, queryset, caf_id):
        # A reminder belongs to its declaration's Caf; the opening of a campaign to the campaign's.
        return queryset.filter(
            Q(declaration__activite__organisme__caf=caf_id)
            | Q(declaration__isnull=True, campaign__caf=caf_id)
        )

    @admin.display(description="partenaire", ordering="user__organisme__raison_sociale")
    def partenaire(self, reminder):
        return reminder.user.organisme

    @admin.display(description="à propos de")
    def about(self, reminder):
        return reminder.declaration or reminder.campaign


@admin.register(MailPreference)
class MailPreferenceAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """The mails a partner user changed in « Mes notifications »; without a row, every mail is received."""

    caf_lookup = "user__organisme__caf"
    list_display = ["user", "partenaire", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = USER_SEARCH
    list_select_related = ["user__organisme"]
    raw_id_fields = ["user"]
    show_full_result_count = False
    fields = ["user", "kind", "enabled", "updated_at"]
    readonly_fields = fields

    @admin.display(description="partenaire", ordering="user__organisme__raison_sociale")
    def partenaire(self, preference):
        return preference.user.organisme


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    """The accusés de réception of the Caf's declarations, found by their number; each one's PDF."""

    list_display = [
        "reference",
        "declaration",
        "partenaire",
        "transmitted_at",
        "transmitted_by_name",
        "rebuilt",
    ]
    list_filter = ["transmitted_at", "rebuilt"]
    search_fields = [
        "reference",
        "declaration__activite__nom",
        "declaration__activite__organisme__raison_sociale",
    ]
    list_select_related = ["declaration__activite__organisme"]
    raw_id_fields = ["declaration", "transmitted_by"]
    show_full_result_count = False
    fields = [
        "reference",
        "declaration",
        "transmitted_at",
        "transmitted_by_name",
        "ip_address",
        "rebuilt",
        "pdf",
    ]
    readonly_fields = fields

    @admin.display(description="partenaire", ordering="declaration__activite__organisme__raison_sociale")
    def partenaire(self, receipt):
        return receipt.declaration.activite.organisme

    @admin.display(description="accusé de réception")
    def pdf(self, receipt):
        return format_html(
            '<a href="{}">Télécharger l\'accusé de réception {}</a> (PDF)',
            reverse("admin:afas_declaration_receipt", args=[receipt.pk]),
            receipt.reference,
        )
