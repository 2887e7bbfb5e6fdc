"""« Historique » of a partner user for their administrator: the changes of the account and of its
memberships of the groupes d'habilitation, newest first, in French words (core/history.py)."""

from dataclasses import dataclass

from accounts.models import PARTNER_USER_FIELDS, User
from core.history import changes

from .models import Membership

# What the administrator edits or sees of an account; the Caf's own columns (staff, Caf of an agent) are
# the back-office's.
USER_FIELDS = [*PARTNER_USER_FIELDS, "identifiant", "closed_by", "is_active"]
MEMBERSHIP_FIELDS = ["group", "date_ouverture", "date_cloture", "closed_by"]


@dataclass
class Entry:
    record: object
    subject: str
    summary: str
    changes: list

    @property
    def date(self):
        return self.record.history_date

    @property
    def by(self):
        return self.record.history_user


def _entries(records, fields, subject, created):
    """The rows of one object's history (or of several, by `id`), each with what it changed."""
    entries = []
    previous_of = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_of.get(record.id)
        found = changes(record, previous, fields) if previous else []
        summary = created(record) if previous is None else ""
        if previous is None or found:
            entries.append(Entry(record, subject(record), summary, found))
        previous_of[record.id] = record
    return entries


def partner_user_history(user):
    """Every change of the account and of its memberships, newest first (two queries)."""
    user_records = User.history.filter(id=user.pk).select_related("history_user", "organisme", "closed_by")
    membership_records = Membership.history.filter(user_id=user.pk).select_related(
        "history_user", "group", "closed_by"
    )
    entries = _entries(
        user_records, USER_FIELDS, lambda record: "Compte", lambda record: "Création du compte"
    ) + _entries(
        membership_records,
        MEMBERSHIP_FIELDS,
        lambda record: f"Groupe {record.group}",
        lambda record: f"Ajout au groupe {record.group}",
    )
    return sorted(entries, key=lambda entry: (entry.date, entry.record.history_id), reverse=True)
