"""Closing an account, the one way: « Supprimer » and « Modifier » in the portal, the back-office's form
and its « Fermer le compte » action all come here.

Nothing is deleted: the date de clôture is the first day the account no longer works, and who closed it is
kept. Higher apps add their rules through the signals of accounts.signals: conventions refuses to close a
current MCP administrator and ends the account's group memberships (conventions/services.py)."""

from django.db import transaction
from django.utils import timezone

from core.errors import Refused

from .models import User
from .sessions import end_user_sessions
from .signals import account_closed, closing_refused

OWN_ACCOUNT = "Vous ne pouvez pas fermer votre propre compte."
ALREADY_CLOSED = "Ce compte est déjà fermé."


def closing_refusal(user, *, by, on=None):
    """Why `by` may not close `user` from `on`, in French; None when they may. Forms call it to show the
    message next to the date de clôture; close_account calls it again."""
    if by is not None and user.pk == by.pk:
        return OWN_ACCOUNT
    for _receiver, message in closing_refused.send(sender=User, user=user, on=on or timezone.localdate()):
        if message:
            return message
    return None


def _was_closed(user):
    return user.is_ended()


@transaction.atomic
def close_account(user, *, by, on=None):
    """Closes `user` from `on` (today by default; never before its opening). Closed by now, or reopened
    until a later date, its sessions end at once: signed out everywhere, and an old cookie never comes
    back to life."""
    on = on or timezone.localdate()
    refusal = closing_refusal(user, by=by, on=on)
    if refusal:
        raise Refused({"date_cloture": refusal})
    was_closed = _was_closed(user)
    user.date_cloture = max(on, user.date_ouverture)
    user.closed_by = by
    user.save(update_fields=["date_cloture", "closed_by"])
    account_closed.send(sender=User, user=user, by=by, on=user.date_cloture)
    if was_closed or user.is_ended():
        end_user_sessions(user)
    return user


@transaction.atomic
def reopen_account(user):
    """The date de clôture is cleared. A session of the closed account stays ended: it signs in again."""
    was_closed = _was_closed(user)
    user.date_cloture = None
    user.closed_by = None
    user.save(update_fields=["date_cloture", "closed_by"])
    if was_closed:
        end_user_sessions(user)
    return user


def change_closing_date(user, date_cloture, *, by):
    """The date de clôture typed in « Modifier » or the back-office's form, `user` still holding the saved
    one."""
    if date_cloture == user.date_cloture:
        return user
    if date_cloture is None:
        return reopen_account(user)
    return close_account(user, by=by, on=date_cloture)
