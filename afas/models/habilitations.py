from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from conventions.models import HabilitationGroup, Membership
from core.dates import fr, validate_plausible_date


class Role(models.TextChoices):
    FR_DA = "fr_da", "Fournisseur de données d'activité"
    FR_DF = "fr_df", "Fournisseur de données financières"
    APPROBATEUR = "approbateur", "Approbateur"


class CafDecision(models.TextChoices):
    NOT_REQUIRED = "not_required", "Sans objet"
    PENDING = "pending", "En attente de validation par votre CAF"
    VALIDATED = "validated", "Validée par la CAF"
    REFUSED = "refused", "Refusée par la CAF"


def _in_force(on):
    declarer = Membership.objects.current(on).filter(
        user=OuterRef("user"), group__code=HabilitationGroup.DECLARER
    )
    return (
        (Q(fin__isnull=True) | Q(fin__gt=on))
        & (Q(user__date_cloture__isnull=True) | Q(user__date_cloture__gt=on))
        & Q(debut__lte=on, caf_decision__in=[CafDecision.NOT_REQUIRED, CafDecision.VALIDATED])
        & Q(user__date_ouverture__lte=on)
        & Q(Exists(declarer))
    )


def _ended(on):
    return Q(fin__lte=on) | Q(fin__lte=models.F("debut"))


class HabilitationQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Habilitations that grant their rôle today (état « Actif »).

        Started, not ended, validated by the Caf when it must be, and held by an open user who is
        currently in AFAS-DECLARER (rule 6: a closed user or membership deactivates at once).
        """
        return self.filter(_in_force(on or timezone.localdate()))

    def ended(self, on=None):
        """État « Historique »: the fin d'habilitation is reached, or it was ended before it started (fin =
        debut: it never applies)."""
        return self.filter(_ended(on or timezone.localdate()))

    def inactive(self, on=None):
        """État « Inactif »: not ended, yet not in force (future, awaiting or refused by the Caf, user or
        membership closed)."""
        on = on or timezone.localdate()
        # Conditions on the row itself, not `pk NOT IN (every ended / in-force habilitation)`: PostgreSQL
        # read the 600,000 habilitations for each activité searched (1.5 s for the large partner).
        return self.exclude(_ended(on)).exclude(_in_force(on))

    def for_organisme(self, organisme):
        return self.filter(activite__organisme=organisme)

    def managed_by(self, user, on=None):
        """Habilitations of the partners whose conventions `user` administers today (data scope)."""
        from conventions.models import Convention

        organismes = Convention.objects.administered_by(user, on).values("organisme")
        return self.filter(activite__organisme__in=organismes)

    def of_caf(self, caf):
        return self.filter(activite__organisme__caf=caf)

    def awaiting_caf(self):
        """Approbateurs « En attente de validation par votre CAF » not ended."""
        return self.filter(role=Role.APPROBATEUR, caf_decision=CafDecision.PENDING, fin__isnull=True)

    def overlapping(self, user, role, activite, lieu, debut, fin=None):
        """Same user, rôle and scope, with dates that overlap [debut, fin); refused ones never count."""
        overlap = Q(fin__isnull=True) | Q(fin__gt=debut)
        if fin is not None:
            overlap &= Q(debut__lt=fin)
        scope = Q(lieu=lieu) if lieu is not None else Q(activite=activite, lieu__isnull=True)
        return (
            self.filter(scope, overlap, user=user, role=role)
            .exclude(caf_decision=CafDecision.REFUSED)
            .exclude(fin__isnull=False, fin__lte=models.F("debut"))
        )


class Habilitation(models.Model):
    """One user, one rôle, one scope (an activité, or one of its lieux), from debut until fin (excluded)."""

    Role = Role
    CafDecision = CafDecision

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="habilitations",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    # The scope: the activité alone, or one of its lieux (activite is then the lieu's activité).
    activite = models.ForeignKey(
        "afas.Activite", verbose_name="activité", on_delete=models.PROTECT, related_name="habilitations"
    )
    lieu = models.ForeignKey(
        "afas.Lieu",
        verbose_name="lieu d'implantation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="habilitations",
    )
    debut = models.DateField("début d'habilitation", validators=[validate_plausible_date])
    fin = models.DateField("fin d'habilitation", null=True, blank=True, validators=[validate_plausible_date])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accordée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField("accordée le", default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="terminée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    caf_decision = models.CharField(
        "décision de la CAF", max_length=20, choices=CafDecision.choices, default=CafDecision.NOT_REQUIRED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décision prise par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("décision prise le", null=True, blank=True)
    refusal_motif = models.TextField("motif du refus", blank=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        ordering = ["activite__nom", "lieu__nom", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lieu__isnull=True) | Q(role=Role.FR_DA),
                name="only_fr_da_on_a_lieu",
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")),
                name="habilitation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.APPROBATEUR, caf_decision__in=["pending", "validated", "refused"])
                | (~Q(role=Role.APPROBATEUR) & Q(caf_decision="not_required")),
                name="caf_decision_for_approbateur_only",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "activite"],
                condition=Q(lieu__isnull=True, fin__isnull=True) & ~Q(caf_decision="refused"),
                name="one_open_habilitation_per_activite",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "lieu"],
                condition=Q(lieu__isnull=False, fin__isnull=True) & ~Q(caf_decision="refused"),
                name="one_open_habilitation_per_lieu",
            ),
        ]
        indexes = [
            models.Index(fields=["activite", "role"]),
            models.Index(fields=["user", "role"]),
            models.Index(fields=["caf_decision"]),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.scope} — {self.user}"

    @property
    def scope(self):
        return self.lieu or self.activite

    @property
    def is_pending(self):
        return self.caf_decision == CafDecision.PENDING

    @property
    def scope_label(self):
        if self.lieu_id:
            return f"{self.lieu.nom} ({self.activite.nom})"
        return self.activite.nom

    @property
    def has_started(self):
        return self.debut <= timezone.localdate()

    def is_ended(self, on=None):
        on = on or timezone.localdate()
        return self.fin is not None and (self.fin <= on or self.fin <= self.debut)

    def inactivity_reasons(self, on=None):
        """Why a habilitation not ended grants nothing (état « Inactif »), in the words of the search results.
        Reads `user.declarer_memberships` when prefetched (the search does), else queries them."""
        on = on or timezone.localdate()
        reasons = []
        if self.caf_decision == CafDecision.REFUSED:
            motif = self.refusal_motif.strip()
            reasons.append(f"Refusée par la CAF : {motif}" if motif else "Refusée par la CAF")
        elif self.caf_decision == CafDecision.PENDING:
            reasons.append(CafDecision.PENDING.label)
        if self.debut > on:
            reasons.append(f"à partir du {fr(self.debut)}")
        user = self.user
        if user.date_cloture is not None and user.date_cloture <= on:
            # Closing the account ended its memberships the same day: nothing more to say.
            return [*reasons, f"compte fermé le {fr(user.date_cloture)}"]
        if user.date_ouverture > on:
            reasons.append(f"compte ouvert à partir du {fr(user.date_ouverture)}")
        memberships = getattr(user, "declarer_memberships", None)
        if memberships is None:
            memberships = list(user.memberships.filter(group__code=HabilitationGroup.DECLARER))
        if not any(m.is_current(on) for m in memberships):
            reasons.append(_declarer_reason(memberships, on))
        return reasons


def _declarer_reason(memberships, on):
    coming = sorted(m.date_ouverture for m in memberships if m.date_ouverture > on)
    if coming:
        return f"membre d'AFAS-DECLARER à partir du {fr(coming[0])}"
    ended = sorted(m.date_cloture for m in memberships if m.date_cloture is not None and m.date_cloture <= on)
    if ended:
        return f"membre d'AFAS-DECLARER jusqu'au {fr(ended[-1])}"
    return "hors du groupe AFAS-DECLARER"


class ApprobateurAValider(Habilitation):
    """Back-office list « Habilitations d'approbateur à valider » (same rows, its own admin)."""

    class Meta:
        proxy = True
        verbose_name = "habilitation d'approbateur à valider"
        verbose_name_plural = "habilitations d'approbateur à valider"
