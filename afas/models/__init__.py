from .audit import AuditEvent
from .habilitations import ApprobateurAValider, Habilitation, Role
from .referentiel import Activite, ActivityNature, ActivityType, Lieu

__all__ = [
    "Activite",
    "ApprobateurAValider",
    "ActivityNature",
    "ActivityType",
    "AuditEvent",
    "Habilitation",
    "Lieu",
    "Role",
]
