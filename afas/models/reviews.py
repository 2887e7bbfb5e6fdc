"""« Revue des habilitations » (issue 14, rules 20 to 22): a campaign the Caf opens, and one decision per
habilitation or AFAS group membership reviewed. The rules are in afas/reviews/services.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.fields import done_by, optional_link


class Unreviewed(models.TextChoices):
    """What the date limite does to a line nobody reviewed (rule 21)."""

    KEEP = "keep", "Conservées et signalées à la Caf"
    END = "end", "Terminées à la date limite"


class AccessReviewQuerySet(models.QuerySet):
    def open(self, on=None):
        """Campaigns whose lines may be reviewed on that day: from the opening date to the date limite."""
        on = on or timezone.localdate()
        return self.filter(opens_on__lte=on, date_limite__gte=on, closed_at__isnull=True)

    def due(self, on=None):
        """Campaigns whose date limite is past and whose unreviewed lines are not handled yet."""
        return self.filter(date_limite__lt=on or timezone.localdate(), closed_at__isnull=True)

    def concerning(self, organismes, cafs=None):
        """Campaigns that review one of these organismes: opened for it, or for every partner of its Caf.
        `cafs`: the organismes' Caf ids when the caller knows them (the administrator's cached rights)."""
        if cafs is None:
            cafs = organismes.values("caf")
        return self.filter(Q(organisme__in=organismes) | Q(organisme__isnull=True, caf__in=cafs))


class AccessReview(models.Model):
    """A campaign of « Revue des habilitations »: for one partner, or every partner of the Caf."""

    Unreviewed = Unreviewed

    caf = models.ForeignKey("conventions.Caf", verbose_name="Caf", on_delete=models.PROTECT)
    organisme = optional_link(
        "conventions.Organisme",
        "organisme partenaire",
        "access_reviews",
        help_text="vide : tous les partenaires de la Caf",
    )
    opens_on = models.DateField("date d'ouverture", default=timezone.localdate)
    date_limite = models.DateField("date limite")
    unreviewed = models.CharField(
        "lignes non revues à la date limite",
        max_length=10,
        choices=Unreviewed.choices,
        default=Unreviewed.KEEP,
    )
    opened_by = done_by("ouverte par")
    opened_at = models.DateTimeField("ouverte le", auto_now_add=True)
    closed_at = models.DateTimeField(
        "lignes non revues traitées le", null=True, blank=True, help_text="par la tâche quotidienne"
    )
    last_reminder_at = models.DateTimeField("dernière relance le", null=True, blank=True)

    objects = AccessReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "revue des habilitations"
        verbose_name_plural = "revues des habilitations"
        ordering = ["-date_limite", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_limite__gte=models.F("opens_on")), name="review_limit_after_opening"
            )
        ]
        indexes = [models.Index(fields=["caf", "date_limite"])]

    def __str__(self):
        who = self.organisme or f"tous les partenaires de la {self.caf}"
        return f"Revue des habilitations — {who} — date limite {self.date_limite:%d/%m/%Y}"

    def clean(self):
        if self.opens_on and self.date_limite and self.date_limite < self.opens_on:
            raise ValidationError({"date_limite": "La date limite ne peut pas précéder la date d'ouverture."})
        if self.organisme_id and self.caf_id and self.organisme.caf_id != self.caf_id:
            raise ValidationError({"organisme": "Cet organisme partenaire n'appartient pas à cette Caf."})

    def is_open(self, on=None):
        on = on or timezone.localdate()
        return self.closed_at is None and self.opens_on <= on <= self.date_limite


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmée"
    ENDED = "ended", "Terminée"
    KEPT_UNREVIEWED = "kept", "Non revue à la date limite : conservée et signalée à la Caf"
    ENDED_UNREVIEWED = "ended_unreviewed", "Non revue à la date limite : terminée"


class ReviewDecision(models.Model):
    """What became of one line of a campaign: an habilitation or an AFAS group membership."""

    Outcome = Outcome

    review = models.ForeignKey(
        AccessReview, verbose_name="revue", on_delete=models.PROTECT, related_name="decisions"
    )
    habilitation = optional_link("afas.Habilitation", "habilitation", "review_decisions")
    membership = optional_link("conventions.Membership", "appartenance à un groupe", "review_decisions")
    # Denormalised from the line: the Caf's progress per partner counts without joining both kinds.
    organisme = models.ForeignKey(
        "conventions.Organisme",
        verbose_name="organisme partenaire",
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField("décision", max_length=20, choices=Outcome.choices)
    decided_by = done_by("par")
    decided_at = models.DateTimeField("le", default=timezone.now)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "décision de revue"
        verbose_name_plural = "décisions de revue"
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(habilitation__isnull=True, membership__isnull=False)
                | Q(habilitation__isnull=False, membership__isnull=True),
                name="review_decision_on_one_line",
            ),
            models.UniqueConstraint(
                fields=["review", "habilitation"],
                condition=Q(habilitation__isnull=False),
                name="one_decision_per_habilitation_and_review",
            ),
            models.UniqueConstraint(
                fields=["review", "membership"],
                condition=Q(membership__isnull=False),
                name="one_decision_per_membership_and_review",
            ),
        ]
        indexes = [models.Index(fields=["review", "organisme", "outcome"])]

    def __str__(self):
        return f"{self.get_outcome_display()} — {self.habilitation or self.membership}"
