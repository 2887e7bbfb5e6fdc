"""Back-office of the imports of données d'activité (rules 23–25): what was imported, by whom, when, from
which address and how it ended, for the agent's Caf (the campaign's). Read-only: nothing is changed here."""

from django.contrib import admin

from core.admin_scoping import FileImportAdmin

from ..models import DeclarationImport


@admin.register(DeclarationImport)
class DeclarationImportAdmin(FileImportAdmin, admin.ModelAdmin):
    caf_lookup = "campaign__caf"
    subject = "campaign"
    # The preview holds the file's figures: the result counts them, it does not copy them.
    own_fields = ["applied_at", "refusal"]
    list_select_related = ["campaign__activity_type", "campaign__caf", "created_by"]
    search_fields = ["file_name", "created_by__identifiant", "created_by__nom"]
