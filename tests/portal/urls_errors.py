"""The portal's URLs plus views that fail, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from conventions.rights import partner_admin_required
from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns

SECRET_DETAIL = "mot-de-passe-interne-4242 /srv/portail/secret.py"


@login_not_required  # the 500 page as anyone sees it, signed in or not
def boom(request):
    raise RuntimeError(SECRET_DETAIL)


@login_not_required
def bad_request(request):
    raise SuspiciousOperation(SECRET_DETAIL)


@partner_admin_required
def admins_only(request):
    return HttpResponse("réservé")


urlpatterns = [
    *portal_urlpatterns,
    path("test/boom/", boom),
    path("test/admins-only/", admins_only),
    path("test/bad-request/", bad_request),
]

__all__ = ["handler500", "urlpatterns"]
