"""The portal's URLs. Until the habilitations branch registers Habilitation in the back-office, a plain
Caf-scoped ModelAdmin stands in, so the benchmark can measure the reference the issue asks for: the admin
changelist of habilitations. Once the real one is registered, this does nothing."""

from django.contrib import admin

from afas.models import Habilitation
from core.admin_scoping import CafScopedAdmin

if not admin.site.is_registered(Habilitation):

    @admin.register(Habilitation)
    class ReferenceHabilitationAdmin(CafScopedAdmin, admin.ModelAdmin):
        caf_lookup = "activite__organisme__caf"
        list_display = ["user", "role", "activite", "lieu", "debut", "fin", "caf_decision"]
        list_filter = ["role", "caf_decision"]
        list_select_related = ["user", "activite", "lieu"]
        search_fields = ["user__nom", "user__identifiant"]


from portal.urls import handler500, urlpatterns  # noqa: E402  (after the registration: admin URLs are built here)

__all__ = ["handler500", "urlpatterns"]
