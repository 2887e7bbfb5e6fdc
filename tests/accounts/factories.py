import datetime

import factory
from factory.django import DjangoModelFactory
from faker import Faker

from accounts.models import User
from accounts.second_factor.models import Passkey, RecoveryCode
from accounts.second_factor.services import new_recovery_code, recovery_code_digest
from conventions.models import HabilitationGroup

DEFAULT_PASSWORD = "Portail-Demo-2026!"
# Names the tests place in one partner and then assert absent from another partner's pages: a random
# surname must never be one of them, or a foreign page would show it by chance.
MARKER_NAMES = {"DUBOIS", "DUPONT", "MARTIN", "BERNARD", "ROUX", "PETIT", "STEED"}
_faker = Faker("fr_FR")


def random_surname():
    while (name := _faker.last_name()).upper() in MARKER_NAMES:
        pass
    return name


class UserFactory(DjangoModelFactory):
    """A partner's user. Traits: declarant (in AFAS-DECLARER), habiliter (in AFAS-HABILITER),
    partner_admin (named administrator of a convention of their organisme), caf_agent (staff of a Caf),
    closed (date de clôture in the past)."""

    class Meta:
        model = User
        django_get_or_create = ("identifiant",)
        skip_postgeneration_save = True

    identifiant = factory.Sequence(lambda n: f"{200000000 + n}")
    nom = factory.LazyFunction(random_surname)
    prenom = factory.Faker("first_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.prenom}.{o.nom}@example.fr".lower().replace(" ", ""))
    telephone = "01 23 45 67 89"
    organisme = factory.SubFactory("tests.conventions.factories.OrganismeFactory")
    date_ouverture = datetime.date(2017, 10, 1)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        closed = factory.Trait(date_cloture=datetime.date(2020, 1, 1))
        declarant = factory.Trait(
            declarer_membership=factory.RelatedFactory(
                "tests.conventions.factories.MembershipFactory",
                factory_related_name="user",
                group=factory.LazyFunction(
                    lambda: HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER)
                ),
            )
        )
        habiliter = factory.Trait(
            habiliter_membership=factory.RelatedFactory(
                "tests.conventions.factories.MembershipFactory",
                factory_related_name="user",
                group=factory.LazyFunction(
                    lambda: HabilitationGroup.objects.get(code=HabilitationGroup.HABILITER)
                ),
            )
        )
        partner_admin = factory.Trait(
            administered=factory.RelatedFactory(
                "tests.conventions.factories.ConventionAdministratorFactory",
                factory_related_name="user",
                convention=factory.SubFactory(
                    "tests.conventions.factories.ConventionFactory",
                    organisme=factory.SelfAttribute("...organisme"),
                ),
            )
        )
        caf_agent = factory.Trait(
            organisme=None,
            is_staff=True,
            caf=factory.SubFactory("tests.conventions.factories.CafFactory"),
            identifiant=factory.Sequence(lambda n: f"agent.{n}"),
        )

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RecoveryCodeFactory(DjangoModelFactory):
    """A usable recovery code; the code itself (to type) is `code`, only its keyed hash is stored."""

    class Meta:
        model = RecoveryCode
        exclude = ["code"]

    user = factory.SubFactory(UserFactory)
    code = factory.LazyFunction(new_recovery_code)
    digest = factory.LazyAttribute(lambda o: recovery_code_digest(o.user, o.code))


class PasskeyFactory(DjangoModelFactory):
    """A passkey on record (no real key behind it: tests/accounts/passkeys.py registers real ones)."""

    class Meta:
        model = Passkey

    user = factory.SubFactory(UserFactory)
    name = "Ordinateur du bureau"
    confirmed = True
    credential_id = factory.Sequence(lambda n: f"Y3JlZGVudGlhbC0{n:04d}")
    public_key = b"\xa5\x01\x02"
