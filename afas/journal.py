"""The audit trail of what accounts and conventions do to rights: accounts created and closed, group
memberships added and closed, lockouts lifted, second factors reset by the Caf or locked, passkeys removed, sessions ended by the Caf. Those apps send signals (accounts.signals,
conventions.signals); afas, above them, writes the events, without them importing it."""

from accounts.models import User
from accounts.signals import (
    account_closed,
    account_created,
    accounts_created,
    lockout_lifted,
    passkey_removed,
    second_factor_locked,
    second_factor_reset,
    sessions_ended,
)
from conventions.signals import membership_added, membership_closed, memberships_added

from .models import AuditAction, AuditEvent

BATCH = 500  # rows per INSERT when many events come at once


def _by(by):
    return by if by is not None and by.pk else None


def _record(action, user, by=None, ip_address=None, details=None):
    """One event about `user`, done by `by` (no actor: the system, or someone not signed in)."""
    AuditEvent.objects.create(
        action=action, actor=_by(by), subject=user, ip_address=ip_address, details=details or {}
    )


def on_account_created(sender, user, by=None, **kwargs):
    _record(AuditAction.ACCOUNT_CREATED, user, by)


def on_accounts_created(sender, users, by=None, **kwargs):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=AuditAction.ACCOUNT_CREATED, actor=_by(by), subject=user) for user in users],
        batch_size=BATCH,
    )


def on_account_closed(sender, user, by=None, on=None, **kwargs):
    details = {"date de clôture": on.strftime("%d/%m/%Y")} if on else {}
    _record(AuditAction.ACCOUNT_CLOSED, user, by, details=details)


def _membership_event(action, membership, by):
    details = {"groupe": membership.group.libelle}
    if membership.date_cloture:
        details["date de clôture"] = membership.date_cloture.strftime("%d/%m/%Y")
    return AuditEvent(action=action, actor=_by(by), subject=membership.user, details=details)


def on_membership(action):
    def receiver(sender, membership, by=None, **kwargs):
        _membership_event(action, membership, by).save()

    return receiver


def on_memberships_added(sender, memberships, by=None, **kwargs):
    AuditEvent.objects.bulk_create(
        [_membership_event(AuditAction.MEMBERSHIP_ADDED, membership, by) for membership in memberships],
        batch_size=BATCH,
    )


def on_lockout_lifted(sender, identifiant, by=None, **kwargs):
    subject = User.objects.filter(identifiant=identifiant).first()
    _record(AuditAction.LOCKOUT_LIFTED, subject, by, details={"identifiant": identifiant})


def on_second_factor_reset(sender, user, by, ip_address=None, **kwargs):
    _record(AuditAction.SECOND_FACTOR_RESET, user, by, ip_address)


def on_second_factor_locked(sender, user, ip_address=None, **kwargs):
    _record(AuditAction.SECOND_FACTOR_LOCKED, user, ip_address=ip_address)


def on_sessions_ended(sender, user, by, sessions, ip_address=None, **kwargs):
    _record(AuditAction.SESSIONS_ENDED, user, by, ip_address, {"sessions fermées": sessions})


def on_passkey_removed(sender, user, by, passkey, ip_address=None, **kwargs):
    _record(AuditAction.PASSKEY_REMOVED, user, by, ip_address, {"passkey": passkey.name})


def connect():
    account_created.connect(on_account_created, dispatch_uid="afas_journal_account_created")
    accounts_created.connect(on_accounts_created, dispatch_uid="afas_journal_accounts_created")
    account_closed.connect(on_account_closed, dispatch_uid="afas_journal_account_closed")
    membership_added.connect(
        on_membership(AuditAction.MEMBERSHIP_ADDED), dispatch_uid="afas_journal_added", weak=False
    )
    memberships_added.connect(on_memberships_added, dispatch_uid="afas_journal_memberships_added")
    membership_closed.connect(
        on_membership(AuditAction.MEMBERSHIP_CLOSED), dispatch_uid="afas_journal_closed", weak=False
    )
    lockout_lifted.connect(on_lockout_lifted, dispatch_uid="afas_journal_lockout_lifted")
    second_factor_reset.connect(on_second_factor_reset, dispatch_uid="afas_journal_second_factor_reset")
    second_factor_locked.connect(on_second_factor_locked, dispatch_uid="afas_journal_second_factor_locked")
    passkey_removed.connect(on_passkey_removed, dispatch_uid="afas_journal_passkey_removed")
    sessions_ended.connect(on_sessions_ended, dispatch_uid="afas_journal_sessions_ended")
