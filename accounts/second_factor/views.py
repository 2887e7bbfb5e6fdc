from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..reauth import mark_reauthenticated, reauth_required
from ..sessions import open_sessions
from . import passkeys, services
from .forms import EnrolForm, PasskeyNameForm, PasskeyRenameForm, ReauthForm, SecondStepForm, locked_error
from .models import RecoveryCode

ENROL_KEY = "second_factor_enrol_key"
NEW_CODES_KEY = "second_factor_new_codes"


def safe_next(request, default=settings.LOGIN_REDIRECT_URL):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def second_factor(request):
    """The second step of the sign-in: the code of the app, a recovery code, or a passkey. Wrong codes count
    towards the step's own lockout; once locked, the session ends."""
    if request.session.get(services.SESSION_KEY) != services.PENDING:
        return redirect(safe_next(request))
    form = SecondStepForm(request, request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.mark_verified(request, form.device)
            mark_reauthenticated(request)
            if isinstance(form.device, RecoveryCode):
                left = services.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"Vous vous êtes connecté avec un code de secours ; il vous en reste {left}. "
                    "Générez-en de nouveaux depuis « Sécuriser mon compte » si besoin.",
                )
            return redirect(safe_next(request))
        if form.locked_until is not None:
            error = form.errors["code"][0]
            logout(request)
            messages.error(request, error)
            return redirect("accounts:login")
    until = services.locked_until(request.user)
    context = {
        "form": form,
        "next": safe_next(request, ""),
        "locked": until and locked_error(until).messages[0],
        "has_totp": services.totp_device(request.user) is not None,
        "passkey_options": passkeys.authentication_options(request, request.user),
    }
    return render(request, "accounts/second_factor.html", context)


def security(request, form=None, passkey_form=None, status=200):
    """« Sécuriser mon compte »: enrol an authenticator app (QR code, or the key to type), add passkeys
    (where the browser supports them), then see the recovery codes once; regenerate them; rename or
    remove a passkey; remove the factor when it is not required."""
    user = request.user
    device = services.totp_device(user)
    context = {
        "device": device,
        "required": services.is_required(user),
        "new_codes": request.session.pop(NEW_CODES_KEY, None),
        "has_second_factor": services.has_second_factor(user),
        "passkeys": list(services.passkeys_of(user)),
        "passkey_form": passkey_form or PasskeyNameForm(),
        "passkey_options": passkeys.registration_options(request),
        "codes_left": services.recovery_codes_left(user),
        # ASVS 7.4.3: every change of the factor comes back here, where the other sessions can be ended.
        "other_sessions": open_sessions(user).exclude(session_key=request.session.session_key).count(),
    }
    if device is None:
        key = request.session.get(ENROL_KEY) or services.new_secret()
        request.session[ENROL_KEY] = key
        context.update(enrol_context(user, key), form=form or EnrolForm())
    return render(request, "accounts/security.html", context, status=status)


def enrol_context(user, key):
    uri = services.provisioning_uri(user, key)
    return {"qr_code": services.qr_code_data_uri(uri), "secret": services.secret_text(key)}


@require_POST
def security_enrol(request):
    """The first code of the app confirms the key shown: the device is created, recovery codes made."""
    key = request.session.get(ENROL_KEY)
    if key is None or services.totp_device(request.user) is not None:
        return redirect("accounts:security")
    form = EnrolForm(request.POST)
    codes = None
    if form.is_valid():
        codes = services.confirm_enrolment(request.user, key, form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code", "Ce code ne correspond pas : saisissez le code affiché maintenant par l'application."
            )
    if codes is None:
        return security(request, form=form)
    del request.session[ENROL_KEY]
    services.mark_verified(request, services.totp_device(request.user))
    request.session[NEW_CODES_KEY] = codes
    messages.success(request, "Votre second facteur est activé : il vous sera demandé à chaque connexion.")
    return redirect("accounts:security")


def second_factor_action(view):
    """View decorator for an action on the user's second factor: a POST once their identity is confirmed;
    without a second factor, back to « Sécuriser mon compte » with nothing done."""

    @require_POST
    @reauth_required
    @wraps(view)
    def wrapped(request):
        if not services.has_second_factor(request.user):
            return redirect("accounts:security")
        return view(request)

    return wrapped


@second_factor_action
def security_recovery_codes(request):
    """« Générer de nouveaux codes de secours »: the previous ones stop working."""
    request.session[NEW_CODES_KEY] = services.new_recovery_codes(request.user)
    messages.success(
        request, "De nouveaux codes de secours sont générés ; les précédents ne fonctionnent plus."
    )
    return redirect("accounts:security")


@second_factor_action
def security_remove(request):
    """« Supprimer le second facteur »: refused to whoever must have one."""
    try:
        services.remove_second_factor(request.user)
    except services.SecondFactorRequired as error:
        messages.error(request, str(error))
        return redirect("accounts:security")
    request.session.pop(services.SESSION_KEY, None)
    messages.success(
        request, "Votre second facteur est supprimé : seul votre mot de passe est demandé à la connexion."
    )
    return redirect("accounts:security")


@require_POST
def security_passkey_add(request):
    """« Ajouter une clé d'accès »: the browser's answer to the page's options is checked and the passkey
    recorded; the first factor of an account also gets its recovery codes (shown once)."""
    form = PasskeyNameForm(request.POST)
    if not form.is_valid():
        return security(request, passkey_form=form)
    first_factor = not services.has_second_factor(request.user)
    try:
        passkey = passkeys.register_passkey(
            request, form.cleaned_data["credential"], form.cleaned_data["name"]
        )
    except passkeys.PasskeyRefused as error:
        form.add_error(None, str(error))
        return security(request, passkey_form=form)
    services.mark_verified(request, passkey)
    if first_factor or services.recovery_codes_left(request.user) == 0:
        request.session[NEW_CODES_KEY] = services.new_recovery_codes(request.user)
    messages.success(
        request, f"Votre clé d'accès « {passkey.name} » est ajoutée : vous pouvez l'utiliser à la connexion."
    )
    return redirect("accounts:security")


def get_own_passkey(user, pk):
    # 404, not 403: another user's passkey does not exist for this one
    return get_object_or_404(services.passkeys_of(user), pk=pk)


@require_POST
def security_passkey_rename(request, pk):
    passkey = get_own_passkey(request.user, pk)
    form = PasskeyRenameForm(request.POST, prefix=f"passkey-{passkey.pk}")
    if form.is_valid():
        passkeys.rename_passkey(passkey, form.cleaned_data["name"])
        messages.success(request, f"La clé d'accès est renommée « {passkey.name} ».")
    else:
        messages.error(request, "Saisissez le nouveau nom de la clé d'accès (64 caractères au plus).")
    return redirect("accounts:security")


@require_POST
@reauth_required
def security_passkey_remove(request, pk):
    """« Supprimer » a passkey: refused when it is the last factor of someone who must have one."""
    passkey = get_own_passkey(request.user, pk)
    try:
        passkeys.remove_passkey(passkey, by=request.user, request=request)
    except services.SecondFactorRequired as error:
        messages.error(request, str(error))
        return redirect("accounts:security")
    if not services.has_second_factor(request.user):
        request.session.pop(services.SESSION_KEY, None)
    messages.success(request, f"La clé d'accès « {passkey.name} » est supprimée.")
    return redirect("accounts:security")


def reauth(request):
    """« Confirmez votre identité » before a sensitive action: the password, and the code when the user has
    a second factor; then back to the action (accounts/reauth.py)."""
    form = ReauthForm(request, services.has_second_factor(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        mark_reauthenticated(request)
        return redirect(safe_next(request))
    context = {
        "form": form,
        "next": safe_next(request, ""),
        "has_totp": services.totp_device(request.user) is not None,
        "passkey_options": passkeys.authentication_options(request, request.user),
    }
    return render(request, "accounts/reauth.html", context)
