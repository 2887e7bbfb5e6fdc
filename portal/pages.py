"""Public pages linked from the footer of every page: accessibility statement (RGAA), legal notice,
personal data (RGPD notice) and the rules of use. Readable signed in or not, GET only."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

app_name = "pages"


def legal_context():
    return {
        "legal": settings.PORTAL_LEGAL,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
    }


def page(template_name):
    @login_not_required
    @require_safe
    def view(request):
        return render(request, f"pages/{template_name}.html", legal_context())

    view.__name__ = template_name
    return view


urlpatterns = [
    path("accessibilite/", page("accessibility"), name="accessibility"),
    path("mentions-legales/", page("legal_notice"), name="legal_notice"),
    path("donnees-personnelles/", page("privacy"), name="privacy"),
    path("regles-d-usage/", page("usage_rules"), name="usage_rules"),
]
