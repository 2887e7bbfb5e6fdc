import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from core.dated import Dated, DatedQuerySet, Period
from core.dates import validate_plausible_date
from core.search import NormalisedSearchMixin

from .validators import validate_person_name


def generate_identifiant():
    """A 9-digit identifiant no user ever had (users are never deleted, so never reused)."""
    while True:
        candidate = str(secrets.randbelow(900_000_000) + 100_000_000)
        if not User.objects.filter(identifiant=candidate).exists():
            return candidate


# What a partner user's form edits, in the portal (« Modifier ») and in the back-office.
PARTNER_USER_FIELDS = [
    "nom",
    "prenom",
    "email",
    "telephone",
    "poste",
    "organisme",
    "date_ouverture",
    "date_cloture",
]


class UserQuerySet(DatedQuerySet):
    # Users whose account is open on that day (statut « Ouvert »).
    open = DatedQuerySet.in_force
    # Open users and those whose date d'ouverture is to come: they may choose their password.
    not_closed = DatedQuerySet.not_ended

    def of_caf(self, caf_id):
        """What a Caf agent manages: the users of the Caf's partner organisations and the Caf's agents."""
        return self.filter(Q(organisme__caf_id=caf_id) | Q(caf_id=caf_id))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, identifiant=None, password=None, **fields):
        user = self.model(identifiant=identifiant or generate_identifiant(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, identifiant, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(identifiant, password, **fields)


class User(Dated, NormalisedSearchMixin, AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a partner's staff (9-digit identifiant) or a Caf agent (staff)."""

    class Poste(models.TextChoices):
        SEDENTAIRE = "sedentaire", "Sédentaire (possède un poste fixe)"
        ITINERANT = "itinerant", "Itinérant (poste de travail variable)"

    identifiant = models.CharField("identifiant", max_length=150, unique=True)
    nom = models.CharField("nom", max_length=100, validators=[validate_person_name])
    prenom = models.CharField("prénom", max_length=100, validators=[validate_person_name])
    # Normalised copies (core/search.py) for accent- and case-insensitive searches.
    nom_search = models.CharField("nom (recherche)", max_length=100, editable=False, default="")
    prenom_search = models.CharField("prénom (recherche)", max_length=100, editable=False, default="")
    email = models.EmailField("adresse mail")
    # A new address waiting for its confirmation link (accounts.services.request_email_change), shown to
    # whoever edits the account; the link itself carries what is applied.
    pending_email = models.EmailField("nouvelle adresse mail à confirmer", blank=True, editable=False)
    pending_email_sent_at = models.DateTimeField(
        "demande de changement d'adresse mail envoyée le", null=True, blank=True, editable=False
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    poste = models.CharField("poste", max_length=20, choices=Poste.choices, default=Poste.SEDENTAIRE)
    organisme = models.ForeignKey(
        "conventions.Organisme",
        verbose_name="organisme partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    caf = models.ForeignKey(
        "conventions.Caf",
        verbose_name="Caf de l'agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        help_text="Pour un agent de la Caf : la Caf dont il gère les données.",
    )
    date_ouverture = models.DateField(
        "date d'ouverture", default=timezone.localdate, validators=[validate_plausible_date]
    )
    date_cloture = models.DateField(
        "date de clôture", null=True, blank=True, validators=[validate_plausible_date]
    )
    closed_by = models.ForeignKey(
        "self", verbose_name="fermé par", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_staff = models.BooleanField("agent de la Caf (accès au back-office)", default=False)
    is_active = models.BooleanField("actif", default=True)
    previous_login = models.DateTimeField("connexion précédente", null=True, blank=True)
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UserManager()
    period = Period("date_ouverture", "date_cloture")
    search_columns = {"nom_search": "nom", "prenom_search": "prenom"}

    USERNAME_FIELD = "identifiant"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nom", "prenom", "email"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["nom", "prenom"]
        indexes = [
            models.Index(fields=["organisme", "nom", "prenom"]),
            models.Index(fields=["nom"]),
            # The users list's « Nom » filter, within one organisme.
            models.Index(fields=["organisme", "nom_search"]),
        ]

    def __str__(self):
        return f"{self.nom.upper()} {self.prenom}".strip()

    def get_full_name(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self):
        return self.prenom

    def is_open(self, on=None):
        return self.is_in_force(on)

    def email_awaiting_confirmation(self, now=None):
        """The new address whose confirmation link is still valid, or ""."""
        from django.conf import settings

        if not self.pending_email or self.pending_email_sent_at is None:
            return ""
        age = (now or timezone.now()) - self.pending_email_sent_at
        return self.pending_email if age.total_seconds() < settings.PASSWORD_RESET_TIMEOUT else ""

    def opens_later(self, on=None):
        """Created with a date d'ouverture still to come: it may activate, not sign in (decision 17)."""
        return self.has_not_started(on)

    def close(self, by, on=None):
        """Closes the account: accounts.closing.close_account, the one way to close one."""
        from .closing import close_account  # closing reads this module

        close_account(self, by=by, on=on)

    @property
    def statut(self):
        return "Ouvert" if self.is_open() else "Fermé"


class UserSession(models.Model):
    """Which sessions a user has open, written at sign-in, so that closing the account or a lockout can end
    them all (whatever the session engine: database or Redis) without scanning every session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="open_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"

    def __str__(self):
        return f"{self.user} — {date_format(timezone.localtime(self.created_at), 'SHORT_DATETIME_FORMAT')}"


from .second_factor.models import SecondFactor  # noqa: E402  (its own topic, in this app's models)

__all__ = ["SecondFactor", "User", "UserSession"]
