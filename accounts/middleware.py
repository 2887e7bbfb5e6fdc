import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

# Activity is recorded every 30 seconds; the timeout is counted from the last record plus this slack, so
# nobody is signed out before 30 full minutes without activity.
ACTIVITY_RESOLUTION = 30

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
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT + ACTIVITY_RESOLUTION:
                logout(request)
                messages.warning(request, IDLE_MESSAGE)
                return redirect(settings.LOGIN_URL)
            # Written at most every 30 seconds: no session write (UPDATE) on every page under load.
            if last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session["last_activity"] = now
        return self.get_response(request)
