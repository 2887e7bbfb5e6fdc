"""Two partners, A and B, in two Cafs, and the six profiles of the authorization tests.

Everything of B carries a name that must never appear in a page shown to A's people (FOREIGN_TEXTS).
When a branch adds a model, add B's object here (and A's if a route needs one) so the matrix can use its id."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    AccessReviewFactory,
    ActiviteFactory,
    DeclarationFactory,
    DeclarationImportFactory,
    HabilitationFactory,
    LieuFactory,
    MailPreferenceFactory,
    ReceiptFactory,
    ReviewDecisionFactory,
    SentReminderFactory,
)
from tests.conventions.factories import (
    CafFactory,
    ConventionAdministratorFactory,
    ConventionFactory,
    OrganismeFactory,
    UserImportFactory,
)

PROFILES = ("anonymous", "declarant", "admin_a", "admin_b", "admin_without_habiliter", "agent_other_caf")

# Names only B's objects carry: a page seen by someone else than B's own people must show none of them.
FOREIGN_TEXTS = (
    "Bravo-sur-Mer",
    "BERTRANDSECRET",
    "Activité Bravo confidentielle",
    "Site Bravo caché",
    "bertrand.secret@bravo.fr",
)


@dataclass
class Scenario:
    a: SimpleNamespace
    b: SimpleNamespace
    users: dict = field(default_factory=dict)  # profile -> user (None for anonymous)


def build_partner(caf, raison_sociale, admin_name, activite_name, lieu_name):
    organisme = OrganismeFactory(raison_sociale=raison_sociale, caf=caf)
    convention = ConventionFactory(organisme=organisme)
    admin = UserFactory(organisme=organisme, habiliter=True, declarant=True, nom=admin_name)
    ConventionAdministratorFactory(convention=convention, user=admin)
    activite = ActiviteFactory(organisme=organisme, nom=activite_name)
    lieu = LieuFactory(activite=activite, nom=lieu_name)
    return SimpleNamespace(
        caf=caf,
        organisme=organisme,
        convention=convention,
        admin=admin,
        activite=activite,
        lieu=lieu,
    )


def build_scenario():
    loire = CafFactory(code="421", nom="Caf de la Loire")
    bdr = CafFactory(code="131", nom="Caf des Bouches-du-Rhône")
    a = build_partner(loire, "Centre social Alpha", "ALPHAADMIN", "Activité Alpha", "Site Alpha")
    b = build_partner(
        bdr, "Commune de Bravo-sur-Mer", "BRAVOADMIN", "Activité Bravo confidentielle", "Site Bravo caché"
    )
    b.declarant = UserFactory(
        organisme=b.organisme, declarant=True, nom="BERTRANDSECRET", email="bertrand.secret@bravo.fr"
    )
    b.habilitation = HabilitationFactory(user=b.declarant, activite=b.activite, lieu=b.lieu)
    b.membership = b.declarant.memberships.get()
    HabilitationFactory(user=b.admin, activite=b.activite)  # B's own administrator declares too: the control
    b.declaration = DeclarationFactory(activite=b.activite)
    b.activity_part = b.declaration.activity_data.first()
    b.declaration_import = DeclarationImportFactory(
        created_by=b.admin, campaign=b.declaration.campaign, checked=True
    )
    b.review = AccessReviewFactory(organisme=b.organisme)
    b.review_decision = ReviewDecisionFactory(review=b.review, habilitation=b.habilitation)
    b.mail_preference = MailPreferenceFactory(user=b.declarant)
    b.sent_reminder = SentReminderFactory(user=b.declarant, declaration=b.declaration)
    b.receipt = ReceiptFactory(declaration__activite=b.activite, declaration__exercice=2024)
    b.user_import = UserImportFactory(convention=b.convention, created_by=b.admin)
    a.declarant = UserFactory(organisme=a.organisme, declarant=True, nom="ALPHADECLARANT")
    a.habilitation = HabilitationFactory(user=a.declarant, activite=a.activite)
    admin_without_habiliter = UserFactory(organisme=a.organisme, declarant=True, nom="ALPHASANSHABILITER")
    ConventionAdministratorFactory(convention=a.convention, user=admin_without_habiliter, seat=2)
    agent = UserFactory(caf_agent=True, caf=loire, identifiant="agent.loire", nom="AGENTLOIRE")
    users = {
        "anonymous": None,
        "declarant": a.declarant,
        "admin_a": a.admin,
        "admin_b": b.admin,
        "admin_without_habiliter": admin_without_habiliter,
        "agent_other_caf": agent,
    }
    return Scenario(a=a, b=b, users=users)
