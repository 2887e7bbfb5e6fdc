"""Back-office of the imports of données d'activité (rules 23–25): what was imported, by whom, when, from
which address and how it ended, for the agent's Caf (the campaign's). Read-only: nothing is changed here."""

from django.contrib import admin

from core.admin_scoping import CafScopedAdmin, ReadOnly

from ..models import DeclarationImport


@admin.register(DeclarationImport)
class DeclarationImportAdmin(ReadOnly, CafScopedAdmin, admin.ModelAdmin):
    caf_lookup = "campaign__caf"
    list_display = ["file_name", "campaign", "created_by", "created_at", "shown_status", "total"]
    list_filter = ["status"]
    list_select_related = ["campaign__activity_type", "campaign__caf", "created_by"]
    search_fields = ["file_name", "created_by__identifiant", "created_by__nom"]
    # The lines read and the preview hold the file's figures: the result counts them, it does not copy them.
    fields = [
        "file_name",
        "campaign",
        "created_by",
        "created_at",
        "created_ip",
        "shown_status",
        "total",
        "done",
        "updated_at",
        "applied_at",
        "refusal",
    ]
    readonly_fields = fields

    @admin.display(description="état", ordering="status")
    def shown_status(self, declaration_import):
        return declaration_import.display_status
