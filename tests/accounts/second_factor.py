"""A TOTP device for a test user, and the codes its authenticator app would show (django-otp's own RFC 6238
implementation, as an app computes them)."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor.services import SESSION_KEY, VERIFIED, new_recovery_codes


def give_totp(user, recovery=False):
    """A confirmed TOTP device (and recovery codes when asked: returned with it)."""
    device = TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=True)
    return (device, new_recovery_codes(user)) if recovery else device


def code_of(key_hex, steps=0):
    """The code the app shows now, or `steps` periods of 30 seconds later (negative: earlier)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps
    return f"{totp.token():06d}"


def code(device, steps=0):
    return code_of(device.key, steps)


def force_login_verified(client, user):
    """force_login, and the second step as given (force_login of a user with a device leaves it awaited)."""
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = VERIFIED
    session.save()


def unused_code(device):
    """The code of now, or of the next period when now's was already used (a second sign-in within the
    same 30 seconds): still within django-otp's tolerance of one step."""
    device.refresh_from_db()
    now = int(time.time()) // device.step
    return code(device, max(0, device.last_t + 1 - now))
