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
from .habilitations import Habilitation, Role
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
    "ActivityNature",
    "ActivityType",
    "AuditEvent",
    "Habilitation",
    "Lieu",
    "Role",
]
