import logging

from django.dispatch import Signal
from django.utils import timezone

from core.security_log import security_event


def record_login(sender, user, **kwargs):
    """Shift last_login to previous_login, for « Votre dernière connexion à ce service date du … »."""
    user.previous_login = user.last_login
    user.last_login = timezone.now()
    user.save(update_fields=["previous_login", "last_login"])


def log_sign_in(sender, request, user, **kwargs):
    """user_logged_in (after the second factor's receiver): the password was right; what is still asked."""
    from .second_factor.services import SESSION_KEY

    session = getattr(request, "session", None) or {}
    security_event("sign_in", user=user.pk, second_factor=session.get(SESSION_KEY) or "none")


def log_sign_in_failed(sender, credentials, request=None, **kwargs):
    """user_login_failed: no identifiant in the logs (the failed attempts, with it, are in the database)."""
    security_event("sign_in_failed", logging.WARNING)


def log_sign_out(sender, request, user, **kwargs):
    if user is not None:
        security_event("sign_out", user=user.pk)


# Sent before an account is closed (user, on): a receiver returns the French message that refuses it, or None.
closing_refused = Signal()
# Sent once an account is closed (user, by, on: its date de clôture): the apps above accounts react
# (conventions ends the group memberships) without accounts importing them.
account_closed = Signal()
# Sent once an account is created (user, by: who created it) and once a lockout is lifted (identifiant, by):
# afas writes them in the audit trail.
account_created = Signal()
# The same for many accounts created at once (users, by: the import of a file of users).
accounts_created = Signal()
lockout_lifted = Signal()
# Asked at sign-in (user): a receiver returns True when the user must have a second factor (conventions:
# the partner administrators); accounts itself requires it of the Caf agents.
second_factor_required = Signal()
# Sent when a Caf agent resets a user's second factor (user, by, ip_address), and when the second step
# locks after too many wrong codes (user, ip_address): afas writes them to its audit trail.
second_factor_reset = Signal()
second_factor_locked = Signal()
# Sent when a Caf agent ends every session of a user without closing the account (user, by, sessions: how
# many were open, ip_address): afas writes it to its audit trail.
sessions_ended = Signal()
# Sent when a passkey is removed (user, by, passkey, ip_address): afas writes it to its audit trail.
passkey_removed = Signal()
