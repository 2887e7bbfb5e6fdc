"""The back-office's action on users: « Réinitialiser le second facteur » (issue 13)."""

from django.contrib import admin, messages
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import has_second_factor, reset_second_factor

# django-otp's own screens would show the TOTP keys (their QR codes) and let devices be edited: the
# back-office only resets a factor, through the users' action below.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.action(description="Réinitialiser le second facteur")
def reset_second_factors(modeladmin, request, queryset):
    """A Caf agent resets the second factor of their Caf's partner users (the changelist is already scoped
    to the agent's Caf); an agent's own factor is reset by a superuser. Recorded and mailed to the user."""
    done = 0
    for user in queryset:
        if user.is_staff and not request.user.is_superuser:
            modeladmin.message_user(
                request,
                f"{user} : le second facteur d'un agent est réinitialisé par un superutilisateur.",
                messages.WARNING,
            )
            continue
        if user == request.user:
            continue
        if not has_second_factor(user):
            modeladmin.message_user(request, f"{user} n'a pas de second facteur.", messages.WARNING)
            continue
        reset_second_factor(user, by=request.user, request=request)
        done += 1
    modeladmin.message_user(
        request,
        f"Second facteur réinitialisé pour {done} compte(s) : chacun en configurera un nouveau à sa prochaine "
        "connexion et en est informé par mail.",
        messages.SUCCESS,
    )
