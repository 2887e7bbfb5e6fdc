from .audit import AuditAction, AuditEvent
from .declarations import (
    ActivityData,
    Campaign,
    Declaration,
    DeclarationType,
    FinancialData,
    State,
    StateChange,
)
from .habilitations import ROLES_ON_A_LIEU, ApprobateurAValider, Etat, Habilitation, Role
from .referentiel import Activite, ActivityNature, ActivityType, Lieu

__all__ = [
    "ActivityData",
    "Campaign",
    "Declaration",
    "DeclarationType",
    "FinancialData",
    "State",
    "StateChange",
    "Activite",
    "ApprobateurAValider",
    "ActivityNature",
    "ActivityType",
    "AuditAction",
    "AuditEvent",
    "Etat",
    "ROLES_ON_A_LIEU",
    "Habilitation",
    "Lieu",
    "Role",
]
