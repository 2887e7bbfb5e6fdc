from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from portal import views as portal_views

urlpatterns = [
    path("", accounts_views.espace_partenaires, name="home"),
    path("mon-compte-partenaire/", include("accounts.urls")),
    path("conventions/", include("conventions.urls")),
    path("afas/", include("afas.urls")),
    path("informations/", include("portal.pages")),
    path("back-office/", admin.site.urls),
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
]

handler500 = "portal.views.server_error"
