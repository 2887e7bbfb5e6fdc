from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from ..forms import EmailChangeForm
from ..reauth import reauth_required
from ..services import (
    confirm_email_change,
    mail_allowed,
    mail_limited_message,
    read_email_change_token,
    request_email_change,
    send_activation_mail,
)


@reauth_required
def email_change(request):
    """« Modifier mon adresse mail »: a confirmation link goes to the new address; nothing changes yet."""
    form = EmailChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        if not mail_allowed(request, request.user.identifiant):
            form.add_error("email1", mail_limited_message())
            return render(request, "accounts/email_change.html", {"form": form}, status=429)
        request_email_change(request, request.user, form.new_email)
        messages.info(
            request,
            f"Un lien de confirmation vient d'être envoyé à {form.new_email}. Votre adresse mail ne "
            "changera qu'une fois ce lien suivi (il est valable 3 jours).",
        )
        return redirect("accounts:welcome")
    return render(request, "accounts/email_change.html", {"form": form})


@login_not_required  # the link of a mail, followed signed in or not
def email_change_confirm(request, token):
    """The link of the confirmation mail. GET only shows a button (mail scanners open links); POST applies."""
    found = read_email_change_token(token)
    if found is None:
        return render(request, "accounts/email_change_confirm.html", {"valid": False}, status=400)
    user, new_email = found
    if request.method == "POST":
        confirm_email_change(user, new_email)
        if not user.has_usable_password():
            # Never activated: the activation mail probably went to the mistyped address.
            send_activation_mail(request, user)
        messages.success(request, f"Votre adresse mail est désormais {new_email}.")
        return redirect("accounts:welcome" if request.user == user else "accounts:login")
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"valid": True, "account": user, "new_email": new_email},
    )
