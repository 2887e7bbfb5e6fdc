from django.conf import settings
from django.db import models
from django.utils import formats, timezone

from core.fields import done_by, optional_link


class AuditAction(models.TextChoices):
    GRANT = "grant", "Habilitation accordée"
    END = "end", "Habilitation supprimée (fin d'habilitation)"
    SUSPEND = "suspend", "Habilitation suspendue par la Caf"
    VALIDATED = "validated", "Approbateur validé par la Caf"
    REFUSED = "refused", "Approbateur refusé par la Caf"
    ACCOUNT_CREATED = "account_created", "Compte créé"
    ACCOUNT_CLOSED = "account_closed", "Compte fermé"
    MEMBERSHIP_ADDED = "membership_added", "Ajout à un groupe"
    MEMBERSHIP_CLOSED = "membership_closed", "Clôture d'une appartenance à un groupe"
    LOCKOUT_LIFTED = "lockout_lifted", "Blocage de connexion levé"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second facteur réinitialisé par la Caf"
    SECOND_FACTOR_LOCKED = "second_factor_locked", "Second facteur bloqué (codes erronés)"
    REVIEW_CONFIRMED = "review_confirmed", "Confirmée lors de la revue des habilitations"
    REVIEW_ENDED = "review_ended", "Terminée lors de la revue des habilitations"
    REVIEW_UNREVIEWED = "review_unreviewed", "Non revue à la date limite de la revue des habilitations"
    REVIEW_REMINDED = "review_reminded", "Relance de la revue des habilitations envoyée"
    PASSKEY_REMOVED = "passkey_removed", "Clé d'accès (passkey) supprimée"
    SESSIONS_ENDED = "sessions_ended", "Sessions fermées par la Caf"


class AuditEvent(models.Model):
    """Append-only trail of changes to rights: who, when, what, from which address. Besides the
    habilitations: accounts created and closed, group memberships added and closed, lockouts lifted
    (afas/journal.py, from the signals of accounts and conventions)."""

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    actor = done_by("par", "audit_events_done")
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    action = models.CharField("action", max_length=50, choices=AuditAction.choices)
    habilitation = models.ForeignKey(
        "afas.Habilitation", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    subject = optional_link(settings.AUTH_USER_MODEL, "utilisateur concerné", "audit_events_about")
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal des habilitations"
        ordering = ["-at"]

    def __str__(self):
        return f"{formats.date_format(timezone.localtime(self.at), 'SHORT_DATETIME_FORMAT')} — {self.get_action_display()}"

    Action = AuditAction
