import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from afas.models import (
    AccessReview,
    Activite,
    ActivityNature,
    ActivityType,
    AuditEvent,
    Campaign,
    Declaration,
    DeclarationImport,
    DeclarationType,
    FinancialData,
    Habilitation,
    Lieu,
    MailKind,
    MailPreference,
    Outcome,
    Receipt,
    ReviewDecision,
    Role,
    SentReminder,
    State,
)

from .declarations_data import activity, financial


class ActivityTypeFactory(DjangoModelFactory):
    class Meta:
        model = ActivityType
        django_get_or_create = ("code",)

    code = "ALSH"
    libelle = "Accueil de loisirs sans hébergement"


class ActivityNatureFactory(DjangoModelFactory):
    class Meta:
        model = ActivityNature
        django_get_or_create = ("libelle",)

    libelle = "Périscolaire"


class ActiviteFactory(DjangoModelFactory):
    class Meta:
        model = Activite

    organisme = factory.SubFactory("tests.conventions.factories.OrganismeFactory")
    nom = factory.Sequence(lambda n: f"Activité {n}")
    type = factory.SubFactory(ActivityTypeFactory)
    nature = factory.SubFactory(ActivityNatureFactory)


class LieuFactory(DjangoModelFactory):
    class Meta:
        model = Lieu

    activite = factory.SubFactory(ActiviteFactory)
    nom = factory.Sequence(lambda n: f"Site {n}")
    adresse = "2 place de l'École"


class HabilitationFactory(DjangoModelFactory):
    """A Fr DA on an activité, in force since 2019 unless told otherwise. Traits: on_lieu, approbateur
    (pending), validated (approbateur validated by the Caf), refused (by the Caf), ended, financial (Fr DF)."""

    class Meta:
        model = Habilitation

    user = factory.SubFactory(
        "tests.accounts.factories.UserFactory",
        declarant=True,
        organisme=factory.SelfAttribute("..activite.organisme"),
    )
    role = Role.FR_DA
    activite = factory.SubFactory(ActiviteFactory)
    lieu = None
    debut = datetime.date(2019, 2, 7)

    class Params:
        on_lieu = factory.Trait(
            lieu=factory.SubFactory(LieuFactory, activite=factory.SelfAttribute("..activite"))
        )
        approbateur = factory.Trait(role=Role.APPROBATEUR, caf_decision=Habilitation.CafDecision.PENDING)
        validated = factory.Trait(role=Role.APPROBATEUR, caf_decision=Habilitation.CafDecision.VALIDATED)
        refused = factory.Trait(
            role=Role.APPROBATEUR,
            caf_decision=Habilitation.CafDecision.REFUSED,
            refusal_motif="Délégation de signature manquante",
        )
        ended = factory.Trait(fin=datetime.date(2019, 5, 20))
        financial = factory.Trait(role=Role.FR_DF)


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = "grant"
    habilitation = factory.SubFactory(HabilitationFactory)
    subject = factory.SelfAttribute("habilitation.user")


class CampaignFactory(DjangoModelFactory):
    """An open « Réel 2025 » campaign of the ALSH of a Caf: its date limite is always three months ahead, so
    its declarations are not « Hors délai » whatever day the suite runs."""

    class Meta:
        model = Campaign
        django_get_or_create = ("caf", "activity_type", "type", "exercice")

    caf = factory.SubFactory("tests.conventions.factories.CafFactory")
    activity_type = factory.SubFactory(ActivityTypeFactory)
    type = DeclarationType.REEL
    exercice = 2025
    date_ouverture = datetime.date(2026, 1, 15)
    date_limite = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class DeclarationFactory(DjangoModelFactory):
    """A declaration « À saisir » with its empty parts (one activity part per lieu, or one for the activité).
    Pass `values` / `financial` to fill the parts (as stored: figures normalised, "1234.50")."""

    class Meta:
        model = Declaration

    activite = factory.SubFactory(ActiviteFactory)
    type = DeclarationType.REEL
    exercice = 2025
    campaign = factory.SubFactory(
        CampaignFactory,
        caf=factory.SelfAttribute("..activite.organisme.caf"),
        activity_type=factory.SelfAttribute("..activite.type"),
        type=factory.SelfAttribute("..type"),
        exercice=factory.SelfAttribute("..exercice"),
    )

    @classmethod
    def _create(cls, model_class, *args, values=None, financial=None, state=None, **kwargs):
        from afas.declarations import rollup
        from afas.declarations.services import create_declaration

        declaration = create_declaration(**kwargs)
        if values is not None:
            declaration.activity_data.update(values=values)
        if financial is not None:
            FinancialData.objects.filter(declaration=declaration).update(values=financial)
        if state is not None:
            Declaration.objects.filter(pk=declaration.pk).update(state=state)
            declaration.state = state
        if state == State.VALIDEE:
            rollup.count(declaration)  # as the Caf's validation does (services.transition)
        return declaration


class MailPreferenceFactory(DjangoModelFactory):
    """A mail turned off in « Mes notifications » (without a row, it is wanted)."""

    class Meta:
        model = MailPreference

    user = factory.SubFactory("tests.accounts.factories.UserFactory", declarant=True)
    kind = MailKind.REMINDER_15
    enabled = False


class SentReminderFactory(DjangoModelFactory):
    class Meta:
        model = SentReminder

    declaration = factory.SubFactory(DeclarationFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory", declarant=True)
    kind = MailKind.REMINDER_15


class ReceiptFactory(DjangoModelFactory):
    """The accusé de réception of a declaration « Transmise à la Caf » with known figures, made as a
    transmission makes it (afas/declarations/receipts.py)."""

    class Meta:
        model = Receipt

    declaration = factory.SubFactory(
        DeclarationFactory,
        state=State.TRANSMISE,
        values=factory.LazyFunction(activity),
        financial=factory.LazyFunction(financial),
    )
    transmitted_by = factory.SubFactory("tests.accounts.factories.UserFactory")
    transmitted_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, declaration, transmitted_by, transmitted_at, **kwargs):
        from afas.declarations.receipts import issue_receipt

        return issue_receipt(declaration, transmitted_by, transmitted_at)


class DeclarationImportFactory(DjangoModelFactory):
    """An import of données d'activité just read from its file, waiting for its check. Trait: checked (its
    check found nothing to change)."""

    class Meta:
        model = DeclarationImport

    created_by = factory.SubFactory("tests.accounts.factories.UserFactory", declarant=True)
    campaign = factory.SubFactory(CampaignFactory)
    file_name = "donnees.csv"
    lines = factory.LazyFunction(list)

    class Params:
        checked = factory.Trait(
            status=DeclarationImport.Status.CHECKED,
            preview=factory.LazyFunction(
                lambda: {"changes": [], "refused": [], "parts": [], "remarks": [], "unchanged": 0, "empty": 0}
            ),
        )


class AccessReviewFactory(DjangoModelFactory):
    """An open « Revue des habilitations » of one partner (its Caf's): opened ten days ago, date limite in
    a month, whatever day the suite runs. `organisme=None, caf=…` reviews every partner of the Caf."""

    class Meta:
        model = AccessReview

    organisme = factory.SubFactory("tests.conventions.factories.OrganismeFactory")
    caf = factory.LazyAttribute(lambda review: review.organisme.caf if review.organisme else None)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    date_limite = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    unreviewed = AccessReview.Unreviewed.KEEP


class ReviewDecisionFactory(DjangoModelFactory):
    class Meta:
        model = ReviewDecision

    habilitation = factory.SubFactory(HabilitationFactory)
    review = factory.SubFactory(
        AccessReviewFactory, organisme=factory.SelfAttribute("..habilitation.activite.organisme")
    )
    organisme = factory.SelfAttribute("habilitation.activite.organisme")
    outcome = Outcome.CONFIRMED
