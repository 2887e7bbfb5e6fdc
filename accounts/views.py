from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from .forms import LoginForm, PortalSetPasswordForm


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


def lockout_response(request, credentials, *args, **kwargs):
    """django-axes: same wording whether or not the identifiant exists."""
    form = LoginForm(request, data=request.POST or None)
    form.is_valid = lambda: False
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True, "next": ""},
        status=403,
    )


class ActivationView(PasswordResetConfirmView):
    """One-time link of a new account (or of « Mot de passe oublié »): choose a password."""

    template_name = "accounts/activation.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(
            self.request,
            "Votre mot de passe est enregistré. Vous pouvez vous connecter avec votre identifiant.",
        )
        return super().form_valid(form)
