from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from core.dated import Dated, DatedQuerySet, Period
from core.dates import validate_plausible_date
from core.fields import done_by
from core.history import History
from core.imports import FileImport
from core.reference import LibelleList
from core.search import NormalisedSearchMixin

from .validators import validate_siret

# Conventions and memberships are open from their date d'ouverture until their date de clôture (excluded).
OPENING_PERIOD = Period("date_ouverture", "date_cloture")
# An MCP administrator holds the seat from the date de début until the date de fin (excluded).
ADMINISTRATOR_PERIOD = Period("date_debut", "date_fin")


class Caf(models.Model):
    code = models.CharField("code", max_length=10, unique=True)
    nom = models.CharField("nom", max_length=100, unique=True)

    history = History()

    class Meta:
        verbose_name = "Caf"
        verbose_name_plural = "Caf"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class PartnerType(LibelleList):
    """Type de partenaire / type d'organisme (Association, Commune, Bailleur…)."""

    history = History()

    class Meta(LibelleList.Meta):
        verbose_name = "type de partenaire"
        verbose_name_plural = "types de partenaire"


class OrganismeQuerySet(models.QuerySet):
    def administered_by(self, user, on=None):
        """The organismes `user` administers on that day: those of the conventions naming them as a current
        MCP administrator, open and not « Dénoncée » (decision 14). The data scope of every partner page."""
        return self.filter(pk__in=Convention.objects.administered_by(user, on).values("organisme"))


class Organisme(models.Model):
    """Organisme partenaire."""

    raison_sociale = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    type = models.ForeignKey(PartnerType, verbose_name="type de partenaire", on_delete=models.PROTECT)
    caf = models.ForeignKey(Caf, verbose_name="Caf", on_delete=models.PROTECT, related_name="organismes")
    adresse = models.TextField("adresse", blank=True)

    objects = OrganismeQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = "organisme partenaire"
        verbose_name_plural = "organismes partenaires"
        ordering = ["raison_sociale"]

    def __str__(self):
        return self.raison_sociale


def _administrable_on(on):
    """Decision 14: a convention closed (statut Fermé) or « Dénoncée » gives its administrators no rights."""
    return OPENING_PERIOD.in_force(on) & ~Q(etat=Convention.Etat.DENONCEE)


class ConventionQuerySet(DatedQuerySet):
    open = DatedQuerySet.in_force

    def administrable(self, on=None):
        return self.filter(_administrable_on(on or timezone.localdate()))

    def naming(self, user, on=None):
        """Conventions naming `user` as a current MCP administrator, whatever their state: « Consulter les
        conventions » lists them, with their actions only where `administrable` (annotated) is true."""
        on = on or timezone.localdate()
        return (
            self.filter(
                ConventionAdministrator.period.in_force(on, through="administrators"),
                administrators__user=user,
            )
            .annotate(administrable=ExpressionWrapper(_administrable_on(on), output_field=BooleanField()))
            .distinct()
        )

    def administered_by(self, user, on=None):
        """Conventions on which `user` has the administrator rights: named, and the convention open and not
        « Dénoncée ». Every page, menu and POST of a partner administrator goes through here."""
        on = on or timezone.localdate()
        return self.naming(user, on).filter(_administrable_on(on))


class Convention(Dated, NormalisedSearchMixin, models.Model):
    """Convention de service Mon Compte Partenaire between a Caf and a partner."""

    class Etat(models.TextChoices):
        VALABLE = "valable", "Valable"
        SUSPENDUE = "suspendue", "Suspendue"
        DENONCEE = "denoncee", "Dénoncée"

    libelle = models.CharField("libellé", max_length=200)
    libelle_search = models.CharField(
        "libellé (recherche)", max_length=200, editable=False, default=""
    )  # core/search.py
    caf = models.ForeignKey(
        Caf, verbose_name="CAF pivot", on_delete=models.PROTECT, related_name="conventions"
    )
    organisme = models.ForeignKey(
        Organisme, verbose_name="partenaire", on_delete=models.PROTECT, related_name="conventions"
    )
    date_ouverture = models.DateField(
        "date d'ouverture", default=timezone.localdate, validators=[validate_plausible_date]
    )
    date_cloture = models.DateField(
        "date de clôture", null=True, blank=True, validators=[validate_plausible_date]
    )
    etat = models.CharField("état", max_length=20, choices=Etat.choices, default=Etat.VALABLE)
    email_caf = models.EmailField(
        "adresse mail de la Caf (Pôle SIAP)", blank=True, help_text="Pour un changement d'administrateur MCP."
    )

    objects = ConventionQuerySet.as_manager()
    period = OPENING_PERIOD
    search_columns = {"libelle_search": "libelle"}

    history = History(excluded_fields=["libelle_search"])

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["libelle"]
        constraints = [OPENING_PERIOD.ends_after_start_constraint("convention_closes_after_opening")]
        # The filters of « Consulter les conventions »: libellé, état, statut (dates).
        indexes = [
            models.Index(fields=["libelle"]),
            models.Index(fields=["etat"]),
            models.Index(fields=["date_ouverture", "date_cloture"]),
        ]

    def __str__(self):
        return self.libelle

    def is_open(self, on=None):
        return self.is_in_force(on)

    @property
    def statut(self):
        return "Ouvert" if self.is_open() else "Fermé"


class ConventionAdministratorQuerySet(DatedQuerySet):
    current = DatedQuerySet.in_force


class ConventionAdministrator(Dated, models.Model):
    """A nominative MCP administrator of a convention; replaced only through an avenant.

    A convention has one or two administrators at a time: each open row holds seat 1 or 2, and a seat
    is held by one open row only, so the database itself refuses a third administrator."""

    class Seat(models.IntegerChoices):
        FIRST = 1, "Administrateur 1"
        SECOND = 2, "Administrateur 2"

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="administrators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="administrateur",
        on_delete=models.PROTECT,
        related_name="administered_conventions",
    )
    date_debut = models.DateField("début", default=timezone.localdate, validators=[validate_plausible_date])
    date_fin = models.DateField("fin", null=True, blank=True, validators=[validate_plausible_date])
    avenant_date = models.DateField(
        "date de l'avenant", null=True, blank=True, validators=[validate_plausible_date]
    )
    avenant_reference = models.CharField("référence de l'avenant", max_length=100, blank=True)
    seat = models.PositiveSmallIntegerField("siège", choices=Seat.choices, default=Seat.FIRST)

    objects = ConventionAdministratorQuerySet.as_manager()
    period = ADMINISTRATOR_PERIOD

    history = History()

    class Meta:
        verbose_name = "administrateur MCP"
        verbose_name_plural = "administrateurs MCP"
        ordering = ["date_debut"]
        constraints = [
            ADMINISTRATOR_PERIOD.one_open_row(
                ["convention", "user"], "one_open_admin_row_per_user_and_convention"
            ),
            ADMINISTRATOR_PERIOD.one_open_row(
                ["convention", "seat"],
                "at_most_two_open_admins_per_convention",
                violation_error_message=(
                    "Ce siège d'administrateur MCP est déjà occupé : une convention a au plus deux "
                    "administrateurs. Utilisez « Changement d'administrateur MCP »."
                ),
            ),
            models.CheckConstraint(condition=Q(seat__in=[1, 2]), name="admin_seat_is_1_or_2"),
            ADMINISTRATOR_PERIOD.ends_after_start_constraint(
                "admin_ends_after_start",
                violation_error_message="La date de fin ne peut pas précéder la date de début.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.convention}"

    def clean(self):
        # The administrator sees every user of the convention's organisme: they must belong to it.
        convention = getattr(self, "convention", None)
        user = getattr(self, "user", None)
        if convention is not None and user is not None and user.organisme_id != convention.organisme_id:
            raise ValidationError(
                {
                    "user": "L'administrateur MCP doit être un utilisateur de l'organisme partenaire de la convention."
                }
            )

    def is_current(self, on=None):
        return self.is_in_force(on)


class HabilitationGroup(models.Model):
    """Groupe d'habilitation MCP: AFAS-HABILITER, AFAS-DECLARER."""

    HABILITER = "AFAS-HABILITER"
    DECLARER = "AFAS-DECLARER"
    DEFAULT_LIBELLES = {HABILITER: "AFAS-HAB - AFAS Habiliter", DECLARER: "AFAS-DEC - AFAS Déclarer"}

    code = models.CharField("code", max_length=50, unique=True)
    libelle = models.CharField("libellé", max_length=100)

    history = History()

    class Meta:
        verbose_name = "groupe d'habilitation"
        verbose_name_plural = "groupes d'habilitation"
        ordering = ["code"]

    def __str__(self):
        return self.libelle


class MembershipQuerySet(DatedQuerySet):
    current = DatedQuerySet.in_force


class Membership(Dated, models.Model):
    """A user's membership of a groupe d'habilitation, from date_ouverture until date_cloture (excluded)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    group = models.ForeignKey(
        HabilitationGroup, verbose_name="groupe", on_delete=models.PROTECT, related_name="memberships"
    )
    date_ouverture = models.DateField(
        "date d'ouverture", default=timezone.localdate, validators=[validate_plausible_date]
    )
    date_cloture = models.DateField(
        "date de clôture", null=True, blank=True, validators=[validate_plausible_date]
    )
    created_by = done_by("ouverte par")
    created_at = models.DateTimeField("ouverte le", auto_now_add=True)
    closed_by = done_by("clôturée par")
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    period = OPENING_PERIOD

    history = History()

    class Meta:
        verbose_name = "appartenance à un groupe"
        verbose_name_plural = "appartenances aux groupes"
        ordering = ["-date_ouverture"]
        constraints = [
            OPENING_PERIOD.one_open_row(["user", "group"], "one_open_ended_membership_per_user_and_group"),
            OPENING_PERIOD.ends_after_start_constraint("membership_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["group", "user"])]

    def __str__(self):
        return f"{self.user} — {self.group}"

    def is_current(self, on=None):
        return self.is_in_force(on)


class UserImport(FileImport):
    """« Importer des utilisateurs » of a convention (rule 26): the lines read from the file (never the
    file), [{"number": …, "values": {column: text}}, …], kept between the preview and the confirmation, the
    refusals found, and what was created. « Contrôle » checks the lines, « Application » creates the users.
    What every import keeps: core/imports.py."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="user_imports"
    )
    errors = models.JSONField("refus", default=list, blank=True)
    created_users = models.JSONField("utilisateurs créés", default=list, blank=True)
    site_base = models.CharField("adresse du portail", max_length=255, blank=True)
    confirmed_by = done_by("confirmé par")
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField("adresse IP de la confirmation", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    lines_forgotten_at = models.DateTimeField("lignes effacées le", null=True, blank=True)

    class Meta(FileImport.Meta):
        verbose_name = "import d'utilisateurs"
        verbose_name_plural = "imports d'utilisateurs"
        indexes = [models.Index(fields=["lines_forgotten_at", "created_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.display_status})"

    def reached_apply(self):
        return self.confirmed_at is not None

    @property
    def can_be_confirmed(self):
        """All or nothing: the import is confirmed only once checked without a single refusal."""
        return self.status == self.Status.CHECKED and not self.errors and self.total > 0
