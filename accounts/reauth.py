"""Re-authentication before a sensitive action (issue 13, ASVS V6): the password, and the code when the
user has a second factor, asked again unless given less than REAUTH_MAX_AGE seconds ago (a sign-in counts).

Granting an Approbateur, changing one's mail address, the Caf validating an approbateur, changing the
MCP administrator of a convention and ending one's other sessions go through `reauth_required` (a view) or
`needs_reauth` (a view that names where to come back, an admin action)."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .middleware import page_to_return_to

REAUTH_AT = "reauth_at"
ASKED = "Pour cette action, confirmez votre identité."


def mark_reauthenticated(request):
    request.session[REAUTH_AT] = time.time()


def recently_reauthenticated(request):
    return time.time() - request.session.get(REAUTH_AT, 0) <= settings.REAUTH_MAX_AGE


def redirect_to_reauth(request, next_url=None):
    """To « Confirmez votre identité », which leads back to `next_url` (by default the page asked for, or
    for a form sent the page it was on)."""
    next_url = next_url or page_to_return_to(request)
    messages.info(request, ASKED)
    return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': next_url})}")


def needs_reauth(request, next_url=None):
    """For a view or an admin action: the redirect to « Confirmez votre identité », or None when the
    identity was confirmed a moment ago."""
    return None if recently_reauthenticated(request) else redirect_to_reauth(request, next_url)


def reauth_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return needs_reauth(request) or view(request, *args, **kwargs)

    return wrapped


def remember_sign_in(sender, request, user, **kwargs):
    """user_logged_in: signing in is a fresh authentication (the second step, when due, renews it)."""
    if request is not None and hasattr(request, "session"):
        mark_reauthenticated(request)
