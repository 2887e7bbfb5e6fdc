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

# profile -> how run.py finds the identifiant in the generated data (see bench/run.py)
PROFILES = ("typical_admin", "large_admin", "typical_declarant", "large_declarant", "agent")


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    profile: str | None
    method: str = "get"
    data: dict = field(default_factory=dict)


PAGES = [
    Page(FLOOR, "/healthz", None),
    Page("Connexion (formulaire)", "/mon-compte-partenaire/connexion/", None),
    Page("Espace partenaires (accueil public)", "/", None),
    Page("Bienvenue (partenaire ordinaire)", "/mon-compte-partenaire/bienvenue/", "typical_admin"),
    Page("Bienvenue (grand partenaire)", "/mon-compte-partenaire/bienvenue/", "large_admin"),
    Page(ADMIN_REFERENCE, "/back-office/afas/habilitation/", "agent"),
    Page(
        "Back-office : habilitations en attente",
        "/back-office/afas/habilitation/?caf_decision__exact=pending",
        "agent",
    ),
]


def page_named(name):
    return next(page for page in PAGES if page.name == name)
