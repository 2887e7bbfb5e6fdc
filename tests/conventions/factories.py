import datetime

import factory
from factory.django import DjangoModelFactory

from conventions.models import (
    Caf,
    Convention,
    ConventionAdministrator,
    HabilitationGroup,
    Membership,
    Organisme,
    PartnerType,
    UserImport,
)
from devtools.builders import luhn_siret


class CafFactory(DjangoModelFactory):
    class Meta:
        model = Caf
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{100 + n}")
    nom = factory.Sequence(lambda n: f"Caf n°{100 + n}")


class PartnerTypeFactory(DjangoModelFactory):
    class Meta:
        model = PartnerType
        django_get_or_create = ("libelle",)

    libelle = "Association"


class OrganismeFactory(DjangoModelFactory):
    class Meta:
        model = Organisme

    raison_sociale = factory.Sequence(lambda n: f"Organisme partenaire {n}")
    siret = factory.Sequence(lambda n: luhn_siret(f"{100000000000 + n:013d}"))
    type = factory.SubFactory(PartnerTypeFactory)
    caf = factory.SubFactory(CafFactory)
    adresse = "1 rue de la République\n42000 Saint-Étienne"


class ConventionFactory(DjangoModelFactory):
    class Meta:
        model = Convention
        skip_postgeneration_save = True

    libelle = factory.LazyAttribute(lambda o: o.organisme.raison_sociale)
    organisme = factory.SubFactory(OrganismeFactory)
    caf = factory.LazyAttribute(lambda o: o.organisme.caf)
    date_ouverture = datetime.date(2016, 2, 24)
    etat = Convention.Etat.VALABLE

    class Params:
        with_admin = factory.Trait(
            admin=factory.RelatedFactory(
                "tests.conventions.factories.ConventionAdministratorFactory",
                factory_related_name="convention",
            )
        )


class ConventionAdministratorFactory(DjangoModelFactory):
    class Meta:
        model = ConventionAdministrator

    convention = factory.SubFactory(ConventionFactory)
    user = factory.SubFactory(
        "tests.accounts.factories.UserFactory",
        organisme=factory.SelfAttribute("..convention.organisme"),
    )
    date_debut = datetime.date(2016, 2, 24)


def group(code):
    return HabilitationGroup.objects.get(code=code)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    group = factory.LazyFunction(lambda: group(HabilitationGroup.DECLARER))
    date_ouverture = datetime.date(2020, 1, 1)

    class Params:
        habiliter = factory.Trait(group=factory.LazyFunction(lambda: group(HabilitationGroup.HABILITER)))
        closed = factory.Trait(date_cloture=datetime.date(2021, 1, 1))


class UserImportFactory(DjangoModelFactory):
    """An import of users checked without a refusal, waiting for its confirmation."""

    class Meta:
        model = UserImport

    convention = factory.SubFactory(ConventionFactory)
    file_name = "utilisateurs.csv"
    status = UserImport.Status.CHECKED
    lines = factory.LazyFunction(
        lambda: [
            {
                "number": 2,
                "values": {
                    "Nom": "DURAND",
                    "Prénom": "Léa",
                    "Mail": "lea.durand@exemple.fr",
                    "Téléphone": "",
                    "Groupe": "AFAS-DECLARER",
                },
            }
        ]
    )
    total = factory.LazyAttribute(lambda o: len(o.lines))
    created_by = factory.SubFactory(
        "tests.accounts.factories.UserFactory", organisme=factory.SelfAttribute("..convention.organisme")
    )
