"""The pages the benchmark measures, one run each, by name. No Django, no locust here: read by run.py and
by the locustfile.

A page is signed in as one of the PROFILES (found in the generated data by run.py) or anonymous (None).
To add a page once its branch is merged, add a line, e.g.:

    Page("Consulter les conventions", "/conventions/", "typical_admin"),
    Page("Liste des utilisateurs (filtrée)", "/mon-compte-partenaire/utilisateurs/?nom=MARTIN", "large_admin"),
    Page("Habilitations Actif (grand partenaire)", "/afas/habilitations/?etat=actif", "large_admin"),
    Page("Enregistrer un brouillon", "/afas/declarations/{declaration}/", "large_declarant", method="post",
         data={"montant": "12"}),
"""

import re
from dataclasses import dataclass, field

FLOOR = "Plancher (/healthz)"
ADMIN_REFERENCE = "Back-office : liste des habilitations"

# Signed-in profiles; bench/profiles.py finds their identifiants (and the ids used in paths) in the data.
PROFILES = ("typical_admin", "large_admin", "typical_declarant", "large_declarant", "agent")


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    profile: str | None
    method: str = "get"
    data: dict = field(default_factory=dict)
    # A draft save: each simulated user saves its own part (profiles' "draft_parts"), carrying its version.
    draft: bool = False
    # Issue 12's budget for the server's cost of one request: (CPU ms, median; SQL queries), None for none.
    budget: tuple | None = None


# Budgets (issue 12): a typical partner's or declarant's page; the large partner's costly pages (1,000
# users, 200 activités); the back-office changelists; the statistics page (query count pinned in a test).
TYPICAL, LARGE, BACK_OFFICE, STATISTICS = (10, 8), (30, 8), (30, None), (50, None)


HABILITATIONS = "/afas/administration-des-profils/"

USERS_OF_LARGE = "/conventions/{large_convention}/utilisateurs/"


def large_partner_page(name, path):
    """A page signed in as the large partner's administrator: its budget is always LARGE."""
    return Page(name, path, "large_admin", budget=LARGE)


PAGES = [
    Page(FLOOR, "/healthz", None),
    Page("Connexion (formulaire)", "/mon-compte-partenaire/connexion/", None, budget=TYPICAL),
    Page("Bienvenue", "/mon-compte-partenaire/bienvenue/", "typical_admin", budget=TYPICAL),
    Page("Consulter les conventions", "/conventions/", "typical_admin", budget=TYPICAL),
    Page(
        "Liste des utilisateurs",
        "/conventions/{typical_convention}/utilisateurs/",
        "typical_admin",
        budget=TYPICAL,
    ),
    large_partner_page(
        "Liste des utilisateurs (grand partenaire, filtrée)", USERS_OF_LARGE + "?nom=MARTIN&groupe="
    ),
    large_partner_page(
        "Liste des utilisateurs (grand partenaire, prénom sans accent)", USERS_OF_LARGE + "?prenom=chloe"
    ),
    large_partner_page("Liste des utilisateurs (grand partenaire, page 5)", USERS_OF_LARGE + "?page=5"),
    Page("Habilitations Actif", HABILITATIONS + "?etat=actif", "typical_admin", budget=TYPICAL),
    Page("Habilitations Non attribué", HABILITATIONS + "?etat=non_attribue", "typical_admin", budget=TYPICAL),
    large_partner_page("Habilitations Actif (grand partenaire)", HABILITATIONS + "?etat=actif"),
    large_partner_page("Habilitations Non attribué (grand partenaire)", HABILITATIONS + "?etat=non_attribue"),
    large_partner_page("Habiliter un utilisateur (formulaire)", HABILITATIONS + "habiliter/"),
    large_partner_page(
        "Supervision des habilitations (grand partenaire)", "/afas/supervision-habilitations/"
    ),
    Page("Mes déclarations", "/afas/declarations/?rechercher=1", "large_declarant", budget=TYPICAL),
    Page("Une déclaration", "/afas/declarations/{declaration}/", "large_declarant", budget=TYPICAL),
    Page(
        "Enregistrer un brouillon (données d'activité)",
        "/afas/declarations/{declaration}/activite/{part}/",
        "large_declarant",
        method="post",
        draft=True,
        budget=TYPICAL,
    ),
    Page("Statistiques", "/afas/statistiques/", "large_declarant", budget=STATISTICS),
    Page(ADMIN_REFERENCE, "/back-office/afas/habilitation/", "agent", budget=BACK_OFFICE),
    Page("Back-office : liste des utilisateurs", "/back-office/accounts/user/", "agent", budget=BACK_OFFICE),
    Page(
        "Back-office : liste des déclarations", "/back-office/afas/declaration/", "agent", budget=BACK_OFFICE
    ),
]


def page_named(name):
    return next(page for page in PAGES if page.name == name)


def draft_data(part, version):
    """The fields the declaration form sends to save an activity part as a draft, carrying its version."""
    prefix = f"a{part}-"
    return {
        f"{prefix}version": version,
        f"{prefix}jours_ouverture": "140",
        f"{prefix}heures_facturees": str(1000 + version % 7),
    }


def draft_version_in(part, html):
    """The part's current version in the page a 409 (another user saved it first) sends back, or None."""
    found = re.search(rf'name="a{part}-version" value="(\d+)"', html)
    return int(found.group(1)) if found else None
