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


HABILITATIONS = "/afas/administration-des-profils/"

PAGES = [
    Page(FLOOR, "/healthz", None),
    Page("Connexion (formulaire)", "/mon-compte-partenaire/connexion/", None),
    Page("Bienvenue", "/mon-compte-partenaire/bienvenue/", "typical_admin"),
    Page("Consulter les conventions", "/conventions/", "typical_admin"),
    Page("Liste des utilisateurs", "/conventions/{typical_convention}/utilisateurs/", "typical_admin"),
    Page(
        "Liste des utilisateurs (grand partenaire, filtrée)",
        "/conventions/{large_convention}/utilisateurs/?nom=MARTIN&groupe=",
        "large_admin",
    ),
    Page(
        "Liste des utilisateurs (grand partenaire, page 5)",
        "/conventions/{large_convention}/utilisateurs/?page=5",
        "large_admin",
    ),
    Page("Habilitations Actif", HABILITATIONS + "?etat=actif", "typical_admin"),
    Page("Habilitations Non attribué", HABILITATIONS + "?etat=non_attribue", "typical_admin"),
    Page("Habilitations Actif (grand partenaire)", HABILITATIONS + "?etat=actif", "large_admin"),
    Page(
        "Habilitations Non attribué (grand partenaire)", HABILITATIONS + "?etat=non_attribue", "large_admin"
    ),
    Page("Habiliter un utilisateur (formulaire)", HABILITATIONS + "habiliter/", "large_admin"),
    Page("Mes déclarations", "/afas/declarations/?rechercher=1", "large_declarant"),
    Page("Une déclaration", "/afas/declarations/{declaration}/", "large_declarant"),
    Page(
        "Enregistrer un brouillon (données d'activité)",
        "/afas/declarations/{declaration}/activite/{part}/",
        "large_declarant",
        method="post",
        draft=True,
    ),
    Page(ADMIN_REFERENCE, "/back-office/afas/habilitation/", "agent"),
]


def page_named(name):
    return next(page for page in PAGES if page.name == name)
