"""The portal's URLs plus views that fail, for the error page tests."""

from django.http import HttpResponse
from django.urls import path

from conventions.rights import partner_admin_required
from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns

SECRET_DETAIL = "mot-de-passe-interne-4242 /srv/portail/secret.py"


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


@partner_admin_required
def admins_only(request):
    return HttpResponse("réservé")


urlpatterns = [
    *portal_urlpatterns,
    path("test/boom/", boom),
    path("test/admins-only/", admins_only),
]

__all__ = ["handler500", "urlpatterns"]
