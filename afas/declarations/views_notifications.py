"""« Mes notifications »: which declaration mails the signed-in user gets (rule 28)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .forms import MailPreferencesForm
from .notifications import mail_kinds_for, mail_preferences, set_mail_preferences


def notifications(request):
    """Any signed-in user, on their own preferences only: there is no id to guess."""
    # Every box unticked posts no field at all: a POST is bound even so.
    data = request.POST if request.method == "POST" else None
    form = MailPreferencesForm(mail_preferences(request.user), mail_kinds_for(request.user), data)
    if request.method == "POST" and form.is_valid():
        set_mail_preferences(request.user, form.wanted, form.kinds)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("afas:notifications")
    return render(request, "afas/declarations/notifications.html", {"form": form})
