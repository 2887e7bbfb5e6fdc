from .audit import AuditEvent
from .declarations import (
    ActivityData,
    Campaign,
    Declaration,
    DeclarationType,
    FinancialData,
    State,
    StateChange,
)
from .habilitations import ApprobateurAValider, Habilitation, Role
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
    "AuditEvent",
    "Habilitation",
    "Lieu",
    "Role",
]
