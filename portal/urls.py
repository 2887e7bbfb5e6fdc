from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from portal import views as portal_views

admin.site.site_header = "Back-office Caf"
admin.site.site_title = "Back-office Caf"
admin.site.index_title = "Gestion des partenaires, conventions et habilitations"

urlpatterns = [
    path("", accounts_views.espace_partenaires, name="home"),
    path("mon-compte-partenaire/", include("accounts.urls")),
    path("conventions/", include("conventions.urls")),
    path("afas/", include("afas.urls")),
    path("informations/", include("portal.pages")),
    path("back-office/", admin.site.urls),
    path("healthz", portal_views.healthz, name="healthz"),
]

handler500 = "portal.views.server_error"
