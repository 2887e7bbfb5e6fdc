"""The portal's URLs plus one that the matrix does not know."""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    path(
        "nouveau/",
        include(([path("page/", lambda request: HttpResponse("x"), name="nouvelle_page")], "conventions")),
    ),
]
