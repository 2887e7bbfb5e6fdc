import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

IDLE_MESSAGE = (
    "Par mesure de sécurité, vous avez été déconnecté après 30 minutes sans activité de consultation "
    "ou de saisie. Veuillez vous reconnecter."
)


class IdleTimeoutMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT seconds without a request (sliding, server-side)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.warning(request, IDLE_MESSAGE)
                return redirect(settings.LOGIN_URL)
            request.session["last_activity"] = now
        return self.get_response(request)
