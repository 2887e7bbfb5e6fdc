import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..forms import LOCKED_OUT, LoginForm
from ..middleware import sign_out_idle
from ..sessions import record_activity

SIGNED_OUT = "Vous êtes déconnecté."
IDLE = "inactivite"


@login_not_required
def espace_partenaires(request):
    """Public entrance: « Espace partenaires » and its « Accès direct » block (slides N°1-2)."""
    return render(request, "accounts/espace_partenaires.html")


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_not_required
@require_POST
def logout_view(request):
    """« Déconnexion », or the page's script once the idle limit is reached (motif=inactivite): then the
    sign-in page says why, and leads back to the page the user was on."""
    if request.POST.get("motif") == IDLE and request.user.is_authenticated:
        next_url = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return sign_out_idle(request, next_url if safe else "")
    logout(request)
    messages.info(request, SIGNED_OUT)
    return redirect("accounts:login")


@login_not_required  # answers 401 itself: the page's script reads it
@never_cache
@require_POST
def keep_alive(request):
    """« Rester connecté », and typing in a form (static/js/portal.js): records activity so the session
    goes on. Answers how many seconds are left; 401 once the session has ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    request.session["last_activity"] = time.time()
    record_activity(request)
    return JsonResponse({"signed_in": True, "remaining": settings.SESSION_IDLE_TIMEOUT})


def welcome(request):
    return render(request, "accounts/welcome.html")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes, once an identifiant has 10 consecutive failures (on the sign-in page, « Mettre à jour
    votre mot de passe » or the back-office sign-in): the sign-in page with a message that is the same
    whether or not the identifiant exists, since unknown identifiants are counted and locked too."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out_message": LOCKED_OUT, "next": ""},
        status=403,
    )
