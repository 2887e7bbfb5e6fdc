import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from ua_parser import parse as parse_user_agent

from core.dated import Dated, DatedQuerySet, Period
from core.dates import validate_plausible_date
from core.fields import optional_link
from core.history import History
from core.search import NormalisedSearchMixin

from .validators import validate_one_line_name, validate_person_name


def _candidate():
    return str(secrets.randbelow(900_000_000) + 100_000_000)


def generate_identifiant():
    """A 9-digit identifiant no user ever had (users are never deleted, so never reused)."""
    while True:
        candidate = _candidate()
        if not User.objects.filter(identifiant=candidate).exists():
            return candidate


def generate_identifiants(count, batch_size=1000):
    """`count` distinct identifiants as generate_identifiant draws them, checked one query per batch
    (the import of a file of users) instead of one query each."""
    chosen = set()
    while len(chosen) < count:
        candidates = set()
        while len(candidates) < min(batch_size, count - len(chosen)):
            if (candidate := _candidate()) not in chosen:
                candidates.add(candidate)
        taken = set(User.objects.filter(identifiant__in=candidates).values_list("identifiant", flat=True))
        chosen |= candidates - taken
    return list(chosen)


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


def user_label(nom, prenom):
    """How a user is named everywhere: « DUPONT Marie »."""
    return f"{nom.upper()} {prenom}".strip()


class UserQuerySet(DatedQuerySet):
    # Users whose account is open on that day (statut « Ouvert »).
    open = DatedQuerySet.in_force
    # Open users and those whose date d'ouverture is to come: they may choose their password.
    not_closed = DatedQuerySet.not_ended

    def of_caf(self, caf_id):
        """What a Caf agent manages: the users of the Caf's partner organisations and the Caf's agents.

        The Caf's organisme ids are read first (one indexed query, ~300 ids): a filter on them uses the
        users' organisme index, where an OR across the users and organismes tables made PostgreSQL read
        all 150,000 users nationally (EXPLAIN ANALYZE of the back-office count: 335 ms → 2 ms)."""
        organismes = self.model._meta.get_field("organisme").related_model._default_manager
        ids = list(organismes.filter(caf_id=caf_id).order_by().values_list("pk", flat=True))
        return self.filter(Q(organisme_id__in=ids) | Q(caf_id=caf_id))


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
    nom = models.CharField("nom", max_length=100, validators=[validate_person_name, validate_one_line_name])
    prenom = models.CharField(
        "prénom", max_length=100, validators=[validate_person_name, validate_one_line_name]
    )
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
    # When the last activation or « Mot de passe oublié » link was sent: a newer link kills the older ones
    # (accounts/tokens.py).
    link_sent_at = models.DateTimeField("dernier lien de mot de passe envoyé le", null=True, editable=False)
    # When the address last changed: « Mot de passe oublié » sends no link to an address this recent
    # (PASSWORD_RESET_BLOCKED_AFTER_EMAIL_CHANGE), so that changing it cannot be a way into the account.
    email_changed_at = models.DateTimeField("adresse mail changée le", null=True, blank=True, editable=False)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    poste = models.CharField("poste", max_length=20, choices=Poste.choices, default=Poste.SEDENTAIRE)
    organisme = optional_link("conventions.Organisme", "organisme partenaire", "users")
    caf = optional_link(
        "conventions.Caf",
        "Caf de l'agent",
        "agents",
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
    # Bumped in the database whenever what the user may do changes (conventions/rights.py): the rights
    # computed for a version are cached under it, so a change is seen by the very next request.
    rights_version = models.PositiveIntegerField("version des droits", default=0, editable=False)

    objects = UserManager()
    period = Period("date_ouverture", "date_cloture")
    search_columns = {"nom_search": "nom", "prenom_search": "prenom"}

    USERNAME_FIELD = "identifiant"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nom", "prenom", "email"]

    # Neither the password hash nor the sign-in times: a change of password or a sign-in leaves no row.
    # Not kept: secrets, sign-in times, search columns, and the moment of the last one-time link (sending a
    # reset link is not a change of the account).
    history = History(
        excluded_fields=[
            "password",
            "last_login",
            "previous_login",
            "nom_search",
            "prenom_search",
            "link_sent_at",
            "rights_version",
        ]
    )

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
        return user_label(self.nom, self.prenom)

    def save(self, *args, **kwargs):
        # rights_version is only ever bumped in the database: saving a user loaded before a bump must not
        # write the older number back (its cached rights would then outlive the change).
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "rights_version" and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

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
    created_at = models.DateTimeField("connexion le", auto_now_add=True)
    # « Mes connexions »: the browser, the client's address and the last request of the session.
    user_agent = models.CharField("navigateur", max_length=500, blank=True, default="")
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    last_activity_at = models.DateTimeField("dernière activité le", null=True, blank=True)

    class Meta:
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"

    def __str__(self):
        return f"{self.user} — {date_format(timezone.localtime(self.created_at), 'SHORT_DATETIME_FORMAT')}"

    @property
    def device(self):
        """« Chrome 120 sur Windows 10 », « Mobile Safari 17 sur iOS 17 (iPhone) », read from the user agent."""
        parsed = parse_user_agent(self.user_agent) if self.user_agent else None
        if parsed is None or parsed.user_agent is None:
            return "Navigateur inconnu"
        browser = " ".join(filter(None, [parsed.user_agent.family, parsed.user_agent.major]))
        if parsed.os is not None and parsed.os.family != "Other":
            browser += " sur " + " ".join(filter(None, [parsed.os.family, parsed.os.major]))
        if parsed.device is not None and parsed.device.family not in ("Other", "Spider"):
            browser += f" ({parsed.device.family})"
        return browser


from .second_factor.models import SecondFactor  # noqa: E402  (its own topic, in this app's models)

__all__ = ["SecondFactor", "User", "UserSession"]
