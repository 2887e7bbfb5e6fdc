import datetime

import factory
from factory.django import DjangoModelFactory

from afas.models import Activite, ActivityNature, ActivityType, AuditEvent, Habilitation, Lieu, Role


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
    (pending), validated (approbateur validated by the Caf), refused (by the Caf), ended."""

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


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = "grant"
    habilitation = factory.SubFactory(HabilitationFactory)
    subject = factory.SelfAttribute("habilitation.user")
