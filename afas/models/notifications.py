"""Which declaration mails each person gets (« Mes notifications »), and the mails the daily job has sent.

A preference is one row per user and kind of mail; no row means the mail is wanted (rules 28–29). A
`SentReminder` is written in the same transaction as the mail it records and is unique per
declaration (or campaign), user and kind: the daily job run twice sends nothing twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.fields import link, optional_link
from core.history import History


class MailKind(models.TextChoices):
    CAMPAIGN_OPENED = "campaign_opened", "Ouverture d'une campagne de déclaration pour mes activités"
    REMINDER_15 = "reminder_15", "Rappel 15 jours avant la date limite d'une déclaration non transmise"
    REMINDER_3 = "reminder_3", "Rappel 3 jours avant la date limite d'une déclaration non transmise"
    TO_APPROVE = "to_approve", "Déclaration à approuver, une fois toutes ses données saisies"
    RETURNED = "returned", "Déclaration retournée pour correction"
    VALIDATED = "validated", "Déclaration validée par la Caf"


class MailPreferenceQuerySet(models.QuerySet):
    def turned_off(self, kind):
        """The ids of the users who do not want mails of this kind."""
        return self.filter(kind=kind, enabled=False).values("user_id")


class MailPreference(models.Model):
    user = link(settings.AUTH_USER_MODEL, "utilisateur", "mail_preferences")
    kind = models.CharField("mail", max_length=20, choices=MailKind.choices)
    enabled = models.BooleanField("reçu", default=True)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    objects = MailPreferenceQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mail_preference_per_kind")]
        # Every mail job asks who turned its kind off.
        indexes = [models.Index(fields=["kind"], condition=Q(enabled=False), name="mail_turned_off")]

    def __str__(self):
        return f"{self.get_kind_display()} : {'oui' if self.enabled else 'non'}"


class SentReminder(models.Model):
    """A mail of the daily job: a reminder about a declaration, or the opening of a campaign."""

    user = link(settings.AUTH_USER_MODEL, "destinataire")
    kind = models.CharField("mail", max_length=20, choices=MailKind.choices)
    declaration = optional_link("afas.Declaration", "déclaration")
    campaign = optional_link("afas.Campaign", "campagne")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "user", "kind"],
                condition=Q(declaration__isnull=False),
                name="one_reminder_per_declaration_user_kind",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user", "kind"],
                condition=Q(declaration__isnull=True),
                name="one_campaign_mail_per_user_kind",
            ),
            models.CheckConstraint(
                condition=Q(declaration__isnull=False) | Q(campaign__isnull=False),
                name="reminder_about_a_declaration_or_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.user}"
