from .audit import AuditAction, AuditEvent
from .declarations import (
    ActivityData,
    Campaign,
    Declaration,
    DeclarationImport,
    DeclarationType,
    FinancialData,
    State,
    StateChange,
)
from .habilitations import ROLES_ON_A_LIEU, ApprobateurAValider, Etat, Habilitation, Role
from .notifications import MailKind, MailPreference, SentReminder
from .receipts import Receipt
from .referentiel import Activite, ActivityNature, ActivityType, Lieu
from .reviews import AccessReview, Outcome, ReviewDecision, Unreviewed
from .statistics import ActiviteStatistics, DeclarationStatistics

__all__ = [
    "ActivityData",
    "Campaign",
    "Declaration",
    "DeclarationImport",
    "DeclarationType",
    "FinancialData",
    "State",
    "StateChange",
    "Activite",
    "ActiviteStatistics",
    "ApprobateurAValider",
    "ActivityNature",
    "ActivityType",
    "AuditAction",
    "AuditEvent",
    "DeclarationStatistics",
    "Etat",
    "ROLES_ON_A_LIEU",
    "Habilitation",
    "Lieu",
    "MailKind",
    "MailPreference",
    "SentReminder",
    "Receipt",
    "Role",
    "AccessReview",
    "Outcome",
    "ReviewDecision",
    "Unreviewed",
]
