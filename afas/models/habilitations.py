from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from accounts.models import User
from conventions.models import HabilitationGroup, Membership, Organisme
from core.dated import Dated, DatedQuerySet, Period
from core.dates import fr, validate_plausible_date
from core.fields import done_by, link, optional_link


class Role(models.TextChoices):
    FR_DA = "fr_da", "Fournisseur de données d'activité"
    FR_DF = "fr_df", "Fournisseur de données financières"
    APPROBATEUR = "approbateur", "Approbateur"


# Rule 4: only a Fr DA may be scoped on a lieu d'implantation; the other rôles go on activités only.
ROLES_ON_A_LIEU = (Role.FR_DA,)


def may_be_scoped_on_a_lieu(role):
    return role in ROLES_ON_A_LIEU


class CafDecision(models.TextChoices):
    NOT_REQUIRED = "not_required", "Sans objet"
    PENDING = "pending", "En attente de validation par votre CAF"
    VALIDATED = "validated", "Validée par la CAF"
    REFUSED = "refused", "Refusée par la CAF"


# The decisions under which a habilitation grants its rôle (an approbateur once the Caf validated it).
GRANTING_DECISIONS = (CafDecision.NOT_REQUIRED, CafDecision.VALIDATED)


class Etat(models.TextChoices):
    """État de l'habilitation (rule 6), as the search names it. « Non attribué » is what a search finds
    missing: no habilitation has it."""

    ACTIF = "actif", "Actif"
    HISTORIQUE = "historique", "Historique"
    INACTIF = "inactif", "Inactif"
    NON_ATTRIBUE = "non_attribue", "Non attribué"


PERIOD = Period("debut", "fin")


def _in_force(on):
    declarer = Membership.objects.current(on).filter(
        user=OuterRef("user"), group__code=HabilitationGroup.DECLARER
    )
    return (
        PERIOD.in_force(on)
        & Q(caf_decision__in=GRANTING_DECISIONS)
        & User.period.in_force(on, through="user")
        & Q(Exists(declarer))
    )


def _ended(on):
    # Ended before it started (fin = debut: « supprimer » before the début), it never applies either.
    return PERIOD.ended(on) | Q(fin__lte=models.F("debut"))


class HabilitationQuerySet(DatedQuerySet):
    def in_force(self, on=None):
        """Habilitations that grant their rôle today (état « Actif »).

        Started, not ended, validated by the Caf when it must be, and held by an open user who is
        currently in AFAS-DECLARER (rule 6: a closed user or membership deactivates at once).
        """
        return self.filter(_in_force(on or timezone.localdate()))

    def in_force_for(self, user):
        """The habilitations in force today of one user: in_force() filtered on them, the user and membership
        conditions (open user, currently in AFAS-DECLARER) read from the user's row and their cached rights
        (conventions.rights.get_rights, never outliving a membership change) instead of a join to the users
        and a subquery on the memberships: the same rows, a lighter query to build on each page."""
        from conventions.rights import get_rights

        today = timezone.localdate()
        if not (user.is_in_force(today) and get_rights(user).is_declarant):
            return self.none()
        return self.filter(PERIOD.in_force(today), caf_decision__in=GRANTING_DECISIONS, user=user)

    def ended(self, on=None):
        """État « Historique »: the fin d'habilitation is reached, or it was ended before it started (fin =
        debut: it never applies)."""
        return self.filter(_ended(on or timezone.localdate()))

    def not_ended(self, on=None):
        """Not « Historique »: what ended() leaves out (in force, to come, awaiting the Caf or inactive)."""
        return self.exclude(_ended(on or timezone.localdate()))

    def inactive(self, on=None):
        """État « Inactif »: not ended, yet not in force (future, awaiting or refused by the Caf, user or
        membership closed)."""
        on = on or timezone.localdate()
        # Conditions on the row itself, not `pk NOT IN (every ended / in-force habilitation)`: PostgreSQL
        # read the 600,000 habilitations for each activité searched (1.5 s for the large partner).
        return self.exclude(_ended(on)).exclude(_in_force(on))

    def in_etat(self, etat, on=None):
        """The habilitations of one état of the search (Actif, Historique, Inactif)."""
        return {Etat.ACTIF: self.in_force, Etat.HISTORIQUE: self.ended, Etat.INACTIF: self.inactive}[etat](on)

    def with_etat(self, on=None):
        """Annotates `etat_on`: the état of each habilitation on that day, decided as in_etat does."""
        on = on or timezone.localdate()
        return self.annotate(
            etat_on=Case(
                When(_ended(on), then=Value(Etat.HISTORIQUE)),
                When(_in_force(on), then=Value(Etat.ACTIF)),
                default=Value(Etat.INACTIF),
                output_field=models.CharField(),
            )
        )

    def for_organisme(self, organisme):
        return self.filter(activite__organisme=organisme)

    def managed_by(self, user, on=None):
        """Habilitations of the partners whose conventions `user` administers today (data scope)."""
        return self.filter(activite__organisme__in=Organisme.objects.administered_by(user, on))

    def of_caf(self, caf):
        return self.filter(activite__organisme__caf=caf)

    def awaiting_caf(self):
        """Approbateurs « En attente de validation par votre CAF » not ended."""
        return self.filter(role=Role.APPROBATEUR, caf_decision=CafDecision.PENDING, fin__isnull=True)

    def overlapping(self, user, role, activite, lieu, debut, fin=None):
        """Same user, rôle and scope, with dates that overlap [debut, fin); refused ones never count."""
        overlap = PERIOD.overlapping(debut, fin)
        scope = Q(lieu=lieu) if lieu is not None else Q(activite=activite, lieu__isnull=True)
        return (
            self.filter(scope, overlap, user=user, role=role)
            .exclude(caf_decision=CafDecision.REFUSED)
            .exclude(fin__isnull=False, fin__lte=models.F("debut"))
        )


class Habilitation(Dated, models.Model):
    """One user, one rôle, one scope (an activité, or one of its lieux), from debut until fin (excluded)."""

    Role = Role
    CafDecision = CafDecision
    Etat = Etat
    period = PERIOD

    user = link(settings.AUTH_USER_MODEL, "utilisateur", "habilitations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    # The scope: the activité alone, or one of its lieux (activite is then the lieu's activité).
    activite = link("afas.Activite", "activité", "habilitations")
    lieu = optional_link("afas.Lieu", "lieu d'implantation", "habilitations")
    debut = models.DateField("début d'habilitation", validators=[validate_plausible_date])
    fin = models.DateField("fin d'habilitation", null=True, blank=True, validators=[validate_plausible_date])
    granted_by = done_by("accordée par")
    granted_at = models.DateTimeField("accordée le", default=timezone.now)
    ended_by = done_by("terminée par")
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    caf_decision = models.CharField(
        "décision de la CAF", max_length=20, choices=CafDecision.choices, default=CafDecision.NOT_REQUIRED
    )
    decided_by = done_by("décision prise par")
    decided_at = models.DateTimeField("décision prise le", null=True, blank=True)
    refusal_motif = models.TextField("motif du refus", blank=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        ordering = ["activite__nom", "lieu__nom", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lieu__isnull=True) | Q(role__in=ROLES_ON_A_LIEU),
                name="only_fr_da_on_a_lieu",
            ),
            PERIOD.ends_after_start_constraint("habilitation_ends_after_start"),
            models.CheckConstraint(
                condition=Q(
                    role=Role.APPROBATEUR,
                    caf_decision__in=[CafDecision.PENDING, CafDecision.VALIDATED, CafDecision.REFUSED],
                )
                | (~Q(role=Role.APPROBATEUR) & Q(caf_decision=CafDecision.NOT_REQUIRED)),
                name="caf_decision_for_approbateur_only",
            ),
            PERIOD.one_open_row(
                ["user", "role", "activite"],
                "one_open_habilitation_per_activite",
                among=Q(lieu__isnull=True) & ~Q(caf_decision=CafDecision.REFUSED),
            ),
            PERIOD.one_open_row(
                ["user", "role", "lieu"],
                "one_open_habilitation_per_lieu",
                among=Q(lieu__isnull=False) & ~Q(caf_decision=CafDecision.REFUSED),
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
    def is_refused(self):
        return self.caf_decision == CafDecision.REFUSED

    @property
    def scope_label(self):
        if self.lieu_id:
            return f"{self.lieu.nom} ({self.activite.nom})"
        return self.activite.nom

    @property
    def has_started(self):
        return not self.has_not_started()

    def is_ended(self, on=None):
        return super().is_ended(on) or (self.fin is not None and self.fin <= self.debut)

    def etat(self, on=None):
        """Actif, Historique or Inactif on that day: what the search lists it under (rule 6)."""
        if self.is_ended(on):
            return Etat.HISTORIQUE
        return Etat.INACTIF if self.inactivity_reasons(on) else Etat.ACTIF

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
        if user.is_ended(on):
            # Closing the account ended its memberships the same day: nothing more to say.
            return [*reasons, f"compte fermé le {fr(user.date_cloture)}"]
        if user.has_not_started(on):
            reasons.append(f"compte ouvert à partir du {fr(user.date_ouverture)}")
        memberships = getattr(user, "declarer_memberships", None)
        if memberships is None:
            memberships = list(user.memberships.filter(group__code=HabilitationGroup.DECLARER))
        if not any(m.is_current(on) for m in memberships):
            reasons.append(_declarer_reason(memberships, on))
        return reasons


def _declarer_reason(memberships, on):
    coming = sorted(m.date_ouverture for m in memberships if m.has_not_started(on))
    if coming:
        return f"membre d'AFAS-DECLARER à partir du {fr(coming[0])}"
    ended = sorted(m.date_cloture for m in memberships if m.is_ended(on))
    if ended:
        return f"membre d'AFAS-DECLARER jusqu'au {fr(ended[-1])}"
    return "hors du groupe AFAS-DECLARER"


class ApprobateurAValider(Habilitation):
    """Back-office list « Habilitations d'approbateur à valider » (same rows, its own admin)."""

    class Meta:
        proxy = True
        verbose_name = "habilitation d'approbateur à valider"
        verbose_name_plural = "habilitations d'approbateur à valider"
