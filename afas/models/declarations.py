"""Declarations of an activité to its Caf: campaigns, the two parts, their state history.

The figures of a part are stored in a JSONField keyed by field code (the field lists per type d'activité
live as data in afas/declarations/fields.py), so that adding a field to a type needs no migration. `values`
holds the figures normalised, as the text of a Decimal ("1234.50"; counts without decimals); `rejected`
holds, as typed, what did not read as a figure, so a draft keeps everything (afas/declarations/checks.py).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import validate_plausible_date
from core.fields import done_by, optional_link
from core.history import History
from core.imports import FileImport


class DeclarationType(models.TextChoices):
    PREVISIONNEL = "previsionnel", "Prévisionnel"
    ACTUALISE = "actualise", "Actualisé"
    REEL = "reel", "Réel"


class State(models.TextChoices):
    A_SAISIR = "a_saisir", "À saisir"
    EN_COURS = "en_cours", "En cours de saisie"
    A_APPROUVER = "a_approuver", "À approuver"
    TRANSMISE = "transmise", "Transmise à la Caf"
    VALIDEE = "validee", "Validée par la Caf"
    A_CORRIGER = "a_corriger", "À corriger"


class Campaign(models.Model):
    """A Caf asks every activité of one type to declare (type, exercice) between two dates."""

    caf = models.ForeignKey("conventions.Caf", verbose_name="Caf", on_delete=models.PROTECT)
    activity_type = models.ForeignKey(
        "afas.ActivityType", verbose_name="type d'activité", on_delete=models.PROTECT
    )
    type = models.CharField("type de déclaration", max_length=20, choices=DeclarationType.choices)
    exercice = models.PositiveSmallIntegerField("exercice")
    date_ouverture = models.DateField("date d'ouverture", validators=[validate_plausible_date])
    date_limite = models.DateField("date limite", validators=[validate_plausible_date])
    opened_by = done_by("ouverte par")
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)

    history = History()

    class Meta:
        verbose_name = "campagne de déclaration"
        verbose_name_plural = "campagnes de déclaration"
        ordering = ["-exercice", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["caf", "activity_type", "type", "exercice"], name="one_campaign_per_caf_type_exercice"
            ),
            models.CheckConstraint(
                condition=Q(date_limite__gte=models.F("date_ouverture")), name="campaign_ends_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.exercice} — {self.activity_type} — {self.caf}"

    def is_open_on(self, day):
        return self.date_ouverture <= day


class DeclarationQuerySet(models.QuerySet):
    def visible_to(self, user, accesses=None):
        """Declarations of the activités where the user holds an habilitation in force (any rôle).
        `accesses`: the user's {activite id: access} of afas.declarations.access.accesses_by_activite (the
        same habilitations in force) when the caller has read it already: no second query."""
        from .habilitations import Habilitation

        if not user.is_authenticated:
            return self.none()
        if accesses is not None:
            return self.filter(activite__in=list(accesses))
        # The user's few activités first: as a subquery, PostgreSQL read all 400,000 declarations of the
        # national data set (EXPLAIN, bench/README.md); as a list it takes the activite_id index.
        activites = Habilitation.objects.in_force().filter(user=user).values_list("activite", flat=True)
        return self.filter(activite__in=list(activites.order_by().distinct()))

    def for_caf(self, caf_id):
        return self.filter(activite__organisme__caf=caf_id)


class Declaration(models.Model):
    activite = models.ForeignKey(
        "afas.Activite", verbose_name="activité", on_delete=models.PROTECT, related_name="declarations"
    )
    campaign = optional_link(Campaign, "campagne", "declarations")
    type = models.CharField("type de déclaration", max_length=20, choices=DeclarationType.choices)
    exercice = models.PositiveSmallIntegerField("exercice de la déclaration")
    state = models.CharField(
        "état de la déclaration", max_length=20, choices=State.choices, default=State.A_SAISIR
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    transmitted_at = models.DateTimeField("transmise à la Caf le", null=True, blank=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = "déclaration"
        verbose_name_plural = "déclarations"
        ordering = ["-exercice", "type", "activite__nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["activite", "type", "exercice"], name="one_declaration_per_exercice"
            )
        ]
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["exercice", "type"]),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.exercice} — {self.activite}"

    @property
    def date_limite(self):
        return self.campaign.date_limite if self.campaign_id else None

    @property
    def is_editable(self):
        return self.state in (State.A_SAISIR, State.EN_COURS, State.A_CORRIGER)

    @property
    def opens_on(self):
        """The opening date of its campaign while it is still ahead: nothing may be entered before."""
        if self.campaign_id and not self.campaign.is_open_on(timezone.localdate()):
            return self.campaign.date_ouverture
        return None

    @property
    def is_late(self):
        """« Hors délai »: first transmitted to the Caf after the date limite, or still in the partner's hands
        once it has passed. A declaration transmitted before this was recorded is not judged."""
        deadline = self.date_limite
        if deadline is None:
            return False
        if self.transmitted_at:
            return timezone.localtime(self.transmitted_at).date() > deadline
        in_partner_hands = self.is_editable or self.state == State.A_APPROUVER
        return in_partner_hands and timezone.localdate() > deadline


class Part(models.Model):
    """One part of a declaration: values as typed, written justifications of alerts, completion, and a
    version number for optimistic locking (a save names the version it started from)."""

    values = models.JSONField("valeurs saisies", default=dict, blank=True)
    rejected = models.JSONField("saisies non reconnues comme des nombres", default=dict, blank=True)
    justifications = models.JSONField("justifications des alertes", default=dict, blank=True)
    complete = models.BooleanField("marquée complète", default=False)
    version = models.PositiveIntegerField("version", default=0)
    updated_by = done_by("modifiée par")
    updated_at = models.DateTimeField("modifiée le", null=True, blank=True)
    completed_by = done_by("marquée complète par")
    completed_at = models.DateTimeField("marquée complète le", null=True, blank=True)

    class Meta:
        abstract = True


class ActivityData(Part):
    """Données d'activité of one lieu, or of the whole activité (lieu null) when it has a single lieu."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="déclaration", on_delete=models.PROTECT, related_name="activity_data"
    )
    lieu = models.ForeignKey(
        "afas.Lieu", verbose_name="lieu d'implantation", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = "données d'activité"
        verbose_name_plural = "données d'activité"
        ordering = ["lieu__nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "lieu"],
                condition=Q(lieu__isnull=False),
                name="one_activity_data_per_lieu",
            ),
            models.UniqueConstraint(
                fields=["declaration"], condition=Q(lieu__isnull=True), name="one_activity_data_per_activite"
            ),
        ]

    def __str__(self):
        return f"Données d'activité — {self.lieu or self.declaration.activite}"


class FinancialData(Part):
    """Données financières (compte de résultat) of the activité."""

    declaration = models.OneToOneField(
        Declaration, verbose_name="déclaration", on_delete=models.PROTECT, related_name="financial_data"
    )

    class Meta:
        verbose_name = "données financières"
        verbose_name_plural = "données financières"

    def __str__(self):
        return f"Données financières — {self.declaration.activite}"


class StateChange(models.Model):
    """History of a declaration: who moved it from which state to which, when, and why."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="déclaration", on_delete=models.PROTECT, related_name="state_changes"
    )
    from_state = models.CharField("état précédent", max_length=20, choices=State.choices)
    to_state = models.CharField("nouvel état", max_length=20, choices=State.choices)
    by = done_by("par")
    at = models.DateTimeField("le", default=timezone.now)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "historique des déclarations"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class DeclarationImport(FileImport):
    """A file of données d'activité imported into the declarations of a campaign (rule 23): the lines as
    read from the file ([[line number, {column: text}], …]), kept between the preview and the confirmation
    (never the file itself), and what the check found. Owned by the user who uploaded it (`created_by`);
    kept once applied, as the trace of who changed what. What every import keeps: core/imports.py."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="campagne", on_delete=models.PROTECT, related_name="imports"
    )
    preview = models.JSONField("résultat du contrôle", default=dict, blank=True)
    refusal = models.TextField("motif du refus", blank=True)
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)

    class Meta(FileImport.Meta):
        verbose_name = "import de données d'activité"
        verbose_name_plural = "imports de données d'activité"
        indexes = [models.Index(fields=["created_by", "campaign"])]

    def __str__(self):
        return f"{self.file_name} — {self.campaign}"

    def reached_apply(self):
        return bool(self.preview)  # written when the check ends, before any apply
