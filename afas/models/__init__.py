from .audit import AuditEvent
from .habilitations import Habilitation, Role
from .referentiel import Activite, ActivityNature, ActivityType, Lieu

__all__ = [
    "Activite",
    "ActivityNature",
    "ActivityType",
    "AuditEvent",
    "Habilitation",
    "Lieu",
    "Role",
]
