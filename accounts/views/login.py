from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..forms import LOCKED_OUT, LoginForm


def espace_partenaires(request):
    """Public entrance: « Espace partenaires » and its « Accès direct » block (slides N°1-2)."""
    return render(request, "accounts/espace_partenaires.html")


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
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
