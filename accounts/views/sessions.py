from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from ..reauth import needs_reauth
from ..sessions import end_user_sessions, open_sessions


@require_safe
def session_list(request):
    """« Mes connexions »: the signed-in user's own open sessions, this one marked."""
    current_key = request.session.session_key
    sessions = list(open_sessions(request.user))
    others = [session for session in sessions if session.session_key != current_key]
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions, "current_key": current_key, "others": len(others)},
    )


@require_POST
def end_other_sessions(request):
    """« Déconnecter les autres sessions »: every session of the user but this one ends at once, once their
    identity is confirmed (password, and code if they have a second factor: ASVS 7.5.2); then back to
    « Mes connexions »."""
    if asked := needs_reauth(request, reverse("accounts:sessions")):
        return asked
    ended = end_user_sessions(request.user, keep=request.session.session_key)
    if ended:
        messages.success(
            request,
            "Les autres sessions sont déconnectées." if ended > 1 else "L'autre session est déconnectée.",
        )
    else:
        messages.info(request, "Aucune autre session n'était ouverte.")
    return redirect("accounts:sessions")
