import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from .sessions import ACTIVITY_RESOLUTION, record_activity

IDLE_MESSAGE = (
    "Par mesure de sécurité, vous avez été déconnecté après 30 minutes sans activité de consultation "
    "ou de saisie. Veuillez vous reconnecter."
)


ABSOLUTE_MESSAGE = (
    "Par mesure de sécurité, une connexion dure au plus {hours} heures, même avec une activité continue. "
    "Veuillez vous reconnecter."
)


def page_to_return_to(request):
    """Where signing in again leads: the page asked for, or for a form sent after the timeout (a POST-only
    URL) the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def sign_out_idle(request, next_url, message=IDLE_MESSAGE):
    logout(request)
    messages.warning(request, message)
    return redirect_to_login(next_url) if next_url else redirect(settings.LOGIN_URL)


class IdleTimeoutMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT seconds without a request (sliding, server-side), and
    SESSION_ABSOLUTE_TIMEOUT seconds after sign-in whatever the activity (`signed_in_at`, written at
    sign-in by accounts.sessions). Works without JavaScript; static/js/portal.js only warns two minutes
    before and keeps the session alive while typing.

    A page shown to a signed-in user is never kept by a browser or a proxy (`Cache-Control: no-store`):
    the back button after « Déconnexion », or the next user of a shared computer, shows nothing of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.setdefault("signed_in_at", now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
                return sign_out_idle(
                    request, page_to_return_to(request), ABSOLUTE_MESSAGE.format(hours=hours)
                )
            last = request.session.get("last_activity")
            # Activity is recorded every ACTIVITY_RESOLUTION (30) seconds; the timeout is counted from the
            # last record plus this slack, so nobody is signed out before 30 full minutes without activity.
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT + ACTIVITY_RESOLUTION:
                return sign_out_idle(request, page_to_return_to(request))
            # Written at most every 30 seconds: no session write (UPDATE) on every page under load.
            if last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session["last_activity"] = now
                if last is not None:  # the sign-in recorded the first one (accounts.sessions)
                    record_activity(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
