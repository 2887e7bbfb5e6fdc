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


# Budgets (issue 12): a typical partner's or declarant's page; the large partner's costly pages (1,000
# users, 200 activités); the back-office changelists; the statistics page (query count pinned in a test).
TYPICAL, LARGE, BACK_OFFICE, STATISTICS = (10, 8), (30, 8), (30, None), (50, None)
# A page's budget is its profile's unless the page names another.
PROFILE_BUDGETS = {
    None: TYPICAL,
    "typical_admin": TYPICAL,
    "large_admin": LARGE,
    "typical_declarant": TYPICAL,
    "large_declarant": TYPICAL,
    "agent": BACK_OFFICE,
}
PROFILE_BUDGET = object()


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
    budget: tuple | None = PROFILE_BUDGET

    def __post_init__(self):
        if self.budget is PROFILE_BUDGET:
            object.__setattr__(self, "budget", PROFILE_BUDGETS[self.profile])


HABILITATIONS = "/afas/administration-des-profils/"

USERS_OF_LARGE = "/conventions/{large_convention}/utilisateurs/"


PAGES = [
    Page(FLOOR, "/healthz", None, budget=None),
    Page("Connexion (formulaire)", "/mon-compte-partenaire/connexion/", None),
    Page("Bienvenue", "/mon-compte-partenaire/bienvenue/", "typical_admin"),
    Page("Consulter les conventions", "/conventions/", "typical_admin"),
    Page("Liste des utilisateurs", "/conventions/{typical_convention}/utilisateurs/", "typical_admin"),
    Page("Détail de la convention", "/conventions/{typical_convention}/", "typical_admin"),
    Page("Groupes de la convention", "/conventions/{typical_convention}/groupes/", "typical_admin"),
    Page("Consulter les organismes partenaires", "/conventions/organismes/", "typical_admin"),
    Page(
        "Liste des utilisateurs (grand partenaire, filtrée)",
        USERS_OF_LARGE + "?nom=MARTIN&groupe=",
        "large_admin",
    ),
    Page(
        "Liste des utilisateurs (grand partenaire, prénom sans accent)",
        USERS_OF_LARGE + "?prenom=chloe",
        "large_admin",
    ),
    Page("Liste des utilisateurs (grand partenaire, page 5)", USERS_OF_LARGE + "?page=5", "large_admin"),
    Page("Habilitations Actif", HABILITATIONS + "?etat=actif", "typical_admin"),
    Page("Habilitations Non attribué", HABILITATIONS + "?etat=non_attribue", "typical_admin"),
    Page("Habilitations Actif (grand partenaire)", HABILITATIONS + "?etat=actif", "large_admin"),
    Page(
        "Habilitations Non attribué (grand partenaire)", HABILITATIONS + "?etat=non_attribue", "large_admin"
    ),
    # The last page of the results (issue 12: page 1 and page N within 2x).
    Page(
        "Habilitations Actif (grand partenaire, page 10)",
        HABILITATIONS + "?etat=actif&page=10",
        "large_admin",
    ),
    Page(
        "Habilitations Non attribué (grand partenaire, page 9)",
        HABILITATIONS + "?etat=non_attribue&page=9",
        "large_admin",
    ),
    Page("Habiliter un utilisateur (formulaire)", HABILITATIONS + "habiliter/", "large_admin"),
    Page(
        "Habiliter un utilisateur : afficher les lieux (grand partenaire)",
        HABILITATIONS + "habiliter/?portee=lieux",
        "large_admin",
    ),
    Page(
        "Supervision des habilitations (grand partenaire)", "/afas/supervision-habilitations/", "large_admin"
    ),
    Page("Accueil AFAS", "/afas/accueil/", "large_declarant"),
    Page("Mes déclarations", "/afas/declarations/?rechercher=1", "large_declarant"),
    Page("Une déclaration", "/afas/declarations/{declaration}/", "large_declarant"),
    Page(
        "Enregistrer un brouillon (données d'activité)",
        "/afas/declarations/{declaration}/activite/{part}/",
        "large_declarant",
        method="post",
        draft=True,
    ),
    Page("Statistiques", "/afas/statistiques/", "large_declarant", budget=STATISTICS),
    Page("Mes notifications", "/afas/mes-notifications/", "large_declarant"),
    Page(ADMIN_REFERENCE, "/back-office/afas/habilitation/", "agent"),
    Page("Back-office : liste des utilisateurs", "/back-office/accounts/user/", "agent"),
    Page("Back-office : liste des déclarations", "/back-office/afas/declaration/", "agent"),
    # The last pages of the Caf of département 01 (9,900 habilitations, ~2,500 users, ~5,300 declarations):
    # the cost must not grow with the depth (issue 12: within 2× of page 1).
    Page(ADMIN_REFERENCE + " (page 99)", "/back-office/afas/habilitation/?p=99", "agent"),
    Page("Back-office : liste des utilisateurs (page 25)", "/back-office/accounts/user/?p=25", "agent"),
    Page("Back-office : liste des déclarations (page 53)", "/back-office/afas/declaration/?p=53", "agent"),
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
