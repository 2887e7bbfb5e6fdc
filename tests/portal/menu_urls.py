"""The portal's URLs plus a stand-in for every menu entry, so the menu rules are tested whatever
pages exist yet (an entry whose URL does not exist is hidden)."""

from django.http import HttpResponse
from django.urls import include, path

from portal.menu import MENU
from portal.urls import urlpatterns as portal_urlpatterns


def stand_in(request):
    return HttpResponse("")


def _namespace(name):
    entries = [
        url_name.split(":")[1] for _, items in MENU for _, url_name, _ in items if url_name.startswith(name)
    ]
    return [path(f"{entry}/", stand_in, name=entry) for entry in entries]


urlpatterns = [
    path("menu-conventions/", include((_namespace("conventions:"), "conventions"))),
    path("menu-afas/", include((_namespace("afas:"), "afas"))),
    *[p for p in portal_urlpatterns if getattr(p, "namespace", None) not in ("conventions", "afas")],
]
