from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from ..forms import PasswordForgottenForm, PasswordUpdateForm, PortalSetPasswordForm
from ..services import (
    change_password,
    lift_lockout,
    mail_allowed,
    mail_limited_message,
    send_password_reset_mail,
)
from ..tokens import one_time_link_token

RESET_SENT = (
    "Si cet identifiant correspond à un compte ouvert, un lien pour choisir un nouveau mot de passe "
    "vient d'être envoyé à l'adresse mail du compte. Il est valable 3 jours et ne sert qu'une fois."
)


@login_not_required  # the identifiant and current password are asked: an expired password is changed here
def password_update(request):
    """« Mettre à jour votre mot de passe »: identifiant, current password, new password twice."""
    form = PasswordUpdateForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(form.user, form.cleaned_data["new_password1"])
        if request.user == form.user:
            update_session_auth_hash(request, form.user)
        messages.success(
            request,
            "Votre mot de passe est mis à jour. Connectez-vous avec votre nouveau mot de passe.",
        )
        return redirect("accounts:welcome" if request.user == form.user else "accounts:login")
    return render(request, "accounts/password_update.html", {"form": form})


@login_not_required
def password_forgotten(request):
    """« Mot de passe oublié »: the same answer whether the identifiant exists or not."""
    form = PasswordForgottenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifiant = form.cleaned_data["identifiant"]
        if mail_allowed(request, identifiant):
            send_password_reset_mail(request, identifiant)
            messages.info(request, RESET_SENT)
            return redirect("accounts:login")
        form.add_error("identifiant", mail_limited_message())
        return render(request, "accounts/password_forgotten.html", {"form": form}, status=429)
    return render(request, "accounts/password_forgotten.html", {"form": form})


class ActivationView(PasswordResetConfirmView):
    """One-time link of a new account or of « Mot de passe oublié »: choose a password."""

    template_name = "accounts/activation.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False
    token_generator = one_time_link_token

    def get_user(self, uidb64):
        # A closed account's link (activation or « Mot de passe oublié ») no longer sets a password.
        user = super().get_user(uidb64)
        return None if user is None or user.is_ended() else user

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_lockout(form.user.identifiant, by=form.user)
        messages.success(
            self.request,
            "Votre mot de passe est enregistré. Vous pouvez vous connecter avec votre identifiant.",
        )
        return response
