"""The second factor (issue 13, ASVS V6.3.3): TOTP (RFC 6238) with django-otp, passkeys (WebAuthn,
passkeys.py), single-use recovery codes kept as keyed hashes, required of partner administrators and Caf agents after a grace period, with its own lockout.

A session goes through these states after the password (`SESSION_KEY`): PENDING until the code is given
(SecondFactorMiddleware lets nothing else through), ENROL when enrolment is due, GRACE while a banner
invites to enrol, VERIFIED once the code was given; absent for whoever needs none."""

import logging
import secrets
import time
from base64 import b32encode, b64encode
from binascii import unhexlify
from datetime import date, timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.admin_scoping import is_caf_agent
from core.client_ip import client_ip
from core.mail import send_portal_mail
from core.security_log import security_event

from ..models import User
from ..sessions import end_user_sessions
from ..signals import second_factor_locked, second_factor_required, second_factor_reset
from .models import Passkey, RecoveryCode, SecondFactor

SESSION_KEY = "second_factor"
GRACE_UNTIL_KEY = "second_factor_grace_until"
PENDING, ENROL, GRACE, VERIFIED = "pending", "enrol", "grace", "verified"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
RECOVERY_DIGEST_SALT = "accounts.second_factor.RecoveryCode"


def totp_device(user):
    """The user's confirmed TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def passkeys_of(user):
    """The user's passkeys in use, oldest first."""
    return Passkey.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_second_factor(user):
    """An authenticator app or a passkey (recovery codes only stand in for them)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or Passkey.objects.filter(user=user, confirmed=True).exists()
    )


def is_required(user):
    """Partner administrators (conventions answers second_factor_required) and Caf agents must have one;
    declarants may."""
    if is_caf_agent(user):
        return True
    return any(answer for _, answer in second_factor_required.send(sender=User, user=user))


def state_of(user):
    return SecondFactor.objects.get_or_create(user=user)[0]


def sign_in_state(user, today=None):
    """What the session requires after the right password: (PENDING | ENROL | GRACE | None, grace end).
    The grace period starts at the first sign-in where a second factor is required and none is set."""
    if has_second_factor(user):
        return PENDING, None
    if not is_required(user):
        return None, None
    today = today or timezone.localdate()
    state = state_of(user)
    if state.grace_until is None:
        state.grace_until = today + timedelta(days=settings.SECOND_FACTOR_GRACE_DAYS)
        state.save(update_fields=["grace_until"])
    if today > state.grace_until:
        return ENROL, None
    return GRACE, state.grace_until


def start_session(sender, request, user, **kwargs):
    """user_logged_in: the password was right; the session learns what the second factor still asks."""
    if request is None or not hasattr(request, "session"):
        return
    status, grace_until = sign_in_state(user)
    request.session.pop(GRACE_UNTIL_KEY, None)
    if status is None:
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = status
    if grace_until is not None:
        request.session[GRACE_UNTIL_KEY] = grace_until.isoformat()


def session_grace_until(request):
    if request.session.get(SESSION_KEY) != GRACE:
        return None
    return date.fromisoformat(request.session[GRACE_UNTIL_KEY])


def mark_verified(request, device=None):
    request.session[SESSION_KEY] = VERIFIED
    request.session.pop(GRACE_UNTIL_KEY, None)
    if isinstance(device, Device):  # a recovery code is no django-otp device
        otp_login(request, device)


def locked_until(user, now=None):
    """The end of the second step's lockout, or None."""
    state = SecondFactor.objects.filter(user=user).first()
    now = now or timezone.now()
    if state is None or state.locked_until is None or state.locked_until <= now:
        return None
    return state.locked_until


def verify_code(request, user, code):
    """A code of the authenticator app (the current one, or one step before or after: django-otp's
    tolerance; never one already used) or an unused recovery code (spent by its use).

    Returns (device, locked_until): the device that accepted it, or None; and the end of the lockout when
    the step is locked (then no code is even tried). SECOND_FACTOR_FAILURE_LIMIT wrong codes in a row lock
    it for SECOND_FACTOR_LOCKOUT_MINUTES, recorded in the audit trail (second_factor_locked)."""
    return verify_second_factor(request, user, lambda: matching_device(user, code))


def verify_second_factor(request, user, check):
    """Runs `check` (a typed code's, a passkey's) under the second step's lockout: see verify_code."""
    with transaction.atomic():
        state, _ = SecondFactor.objects.select_for_update().get_or_create(user=user)
        now = timezone.now()
        if state.locked_until is not None and state.locked_until > now:
            return None, state.locked_until
        device = check()
        if device is not None:
            state.failures = 0
            state.save(update_fields=["failures"])
            security_event("second_factor_passed", user=user.pk, factor=factor_kind(device))
            return device, None
        state.failures += 1
        security_event("second_factor_failed", logging.WARNING, user=user.pk, failures=state.failures)
        if state.failures < settings.SECOND_FACTOR_FAILURE_LIMIT:
            state.save(update_fields=["failures"])
            return None, None
        state.failures = 0
        state.locked_until = now + timedelta(minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES)
        state.save(update_fields=["failures", "locked_until"])
    security_event("second_factor_locked", logging.WARNING, user=user.pk)
    second_factor_locked.send(sender=User, user=user, ip_address=client_ip(request))
    return None, state.locked_until


def factor_kind(device):
    """What passed the second step, as the logs name it."""
    if isinstance(device, Passkey):
        return "passkey"
    if isinstance(device, RecoveryCode):
        return "recovery_code"
    return "totp"


def matching_device(user, code):
    """Six digits: the TOTP device; anything else: a recovery code, then spent (spaces and case do not
    matter)."""
    code = "".join(code.split()).lower()
    if not code.isdigit():
        return use_recovery_code(user, code)
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


# ----- enrolment


def new_secret():
    """A TOTP key (hex, as django-otp stores it) offered at enrolment, kept in the session until confirmed."""
    return random_hex(20)


def secret_text(key):
    """The key in base32, in groups of four, to type into an app that cannot read the QR code."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user, key):
    return TOTPDevice(user=user, key=key).config_url


def qr_code_data_uri(text):
    """The QR code as an SVG drawn on the server (no JavaScript), inlined in an <img> (CSP: img-src data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()


def confirm_enrolment(user, key, code):
    """Creates the TOTP device once the first code of the app matches the key; returns the new recovery
    codes (to show once), or None when the code is wrong."""
    device = TOTPDevice(user=user, key=key, name=TOTP_NAME, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    code = code.strip()
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t = totp.t()  # the code just typed cannot be used again to sign in
    TOTPDevice.objects.filter(user=user, confirmed=True).update(confirmed=False)
    device.save()
    SecondFactor.objects.filter(user=user).update(failures=0, locked_until=None)
    return new_recovery_codes(user)


def recovery_code_digest(user, code, secret=None):
    """The keyed hash kept in place of a recovery code (ASVS 6.5.2): HMAC-SHA256 under SECRET_KEY (or
    `secret`), of the user's id and the code, so the database alone gives no code away. The data migration
    that hashed the codes kept in clear (accounts/migrations) computes the same."""
    code = "".join(code.split()).lower()
    return salted_hmac(
        RECOVERY_DIGEST_SALT, f"{user.pk}:{code}", secret=secret, algorithm="sha256"
    ).hexdigest()


def recovery_code_digests(user, code):
    """The code's hash under SECRET_KEY, then under each of SECRET_KEY_FALLBACKS: a code made before the
    key was rotated (Django's rotation: the old key moved to the fallbacks) still signs in."""
    return [
        recovery_code_digest(user, code, secret)
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


def new_recovery_code():
    """Eight characters of base32 (40 bits), as django-otp's static tokens: typed once, within the
    second step's lockout."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


def new_recovery_codes(user):
    """RECOVERY_CODE_COUNT new single-use codes, returned to be shown once; only their hashes are kept.
    The previous ones stop working."""
    RecoveryCode.objects.filter(user=user).usable().update(withdrawn_at=timezone.now())
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=recovery_code_digest(user, code)) for code in codes
    )
    return codes


def use_recovery_code(user, code):
    """The unused recovery code typed, spent by this use; or None. Its hash is looked for under SECRET_KEY
    and SECRET_KEY_FALLBACKS (recovery_code_digests)."""
    recovery_code = (
        RecoveryCode.objects.select_for_update()
        .usable()
        .filter(user=user, digest__in=recovery_code_digests(user, code))
        .first()
    )
    if recovery_code is not None:
        recovery_code.used_at = timezone.now()
        recovery_code.save(update_fields=["used_at"])
    return recovery_code


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user).usable().count()


def withdraw_devices(user):
    """The TOTP device and the passkeys stay on record, unconfirmed (they no longer sign in); recovery
    codes are withdrawn."""
    now = timezone.now()
    TOTPDevice.objects.filter(user=user, confirmed=True).update(confirmed=False)
    Passkey.objects.filter(user=user, confirmed=True).update(confirmed=False, removed_at=now)
    RecoveryCode.objects.filter(user=user).usable().update(withdrawn_at=now)


class SecondFactorRequired(Exception):
    message = "Votre second facteur est obligatoire : il ne peut pas être supprimé."


def remove_second_factor(user):
    """« Supprimer le second facteur »: only for who may go without one (a declarant)."""
    if is_required(user):
        raise SecondFactorRequired(SecondFactorRequired.message)
    withdraw_devices(user)


def reset_second_factor(user, by, request=None):
    """A Caf agent resets a partner administrator's second factor (a lost phone): the devices stop
    working, the user's sessions end, enrolment is required at their next sign-in (no new grace period),
    the reset is recorded (second_factor_reset: afas's audit trail) and the user is told by mail."""
    withdraw_devices(user)
    state = state_of(user)
    state.grace_until = timezone.localdate() - timedelta(days=1)
    state.failures = 0
    state.locked_until = None
    state.save(update_fields=["grace_until", "failures", "locked_until"])
    end_user_sessions(user)
    second_factor_reset.send(sender=User, user=user, by=by, ip_address=client_ip(request))
    if user.email:
        send_portal_mail("second_factor_reset", [user.email], {"user": user, "by": by})
