from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from ..middleware import page_to_return_to
from .services import ENROL, PENDING, SESSION_KEY

ENROL_NOW = (
    "Votre compte donne des droits sur les données de partenaires : un second facteur est désormais "
    "obligatoire. Configurez-le pour continuer."
)
# Where a session may go while the code is awaited, or while enrolment is due.
PENDING_PAGES = ["accounts:second_factor", "accounts:logout", "accounts:keep_alive", "admin:logout"]
ENROL_PAGES = [
    *PENDING_PAGES,
    "accounts:security",
    "accounts:security_enrol",
    "accounts:security_passkey_add",
]


class SecondFactorMiddleware:
    """After the password, a user with a second factor reaches no page but the code's until they give it;
    an administrator or agent whose grace period is over, none but « Sécuriser mon compte ». Reads the
    session only (accounts.second_factor.services.start_session wrote it at sign-in): no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        status = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if status == PENDING and request.path not in {reverse(name) for name in PENDING_PAGES}:
            target = reverse("accounts:second_factor")
            next_url = page_to_return_to(request)
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        if status == ENROL and request.path not in {reverse(name) for name in ENROL_PAGES}:
            messages.warning(request, ENROL_NOW)
            return redirect("accounts:security")
        return self.get_response(request)
