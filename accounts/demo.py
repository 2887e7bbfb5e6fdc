"""Demo accounts of the Caf back-office (the partners' users come with conventions.demo)."""

from accounts.models import User
from conventions.models import Caf
from tests.accounts.factories import UserFactory

ACCOUNTS = [
    (
        "100000001",
        "Claire BERNARD, administratrice MCP du Centre Social le Clos des Potiers (Caf de la Loire)",
    ),
    ("100000002", "Sophie ROUX, administratrice MCP de la COMMUNE DE MARTIGUES (Caf des Bouches-du-Rhône)"),
    ("100000003", "Lucie PETIT, administratrice MCP de l'ASSOC PETITS DROLES (Caf de la Loire)"),
    ("123456789", "Jean DUBOIS, déclarant du Clos des Potiers (AFAS-DECLARER)"),
    ("300000001", "John STEED, déclarant de la COMMUNE DE MARTIGUES"),
    ("agent.loire", "agent de la Caf de la Loire (back-office)"),
    ("agent.bdr", "agent de la Caf des Bouches-du-Rhône (back-office)"),
    ("admin", "superutilisateur (back-office, toutes les Caf)"),
]


def load(stdout):
    agents = [
        ("agent.loire", "Caf de la Loire", "DURAND", "Agnès"),
        ("agent.bdr", "Caf des Bouches-du-Rhône", "FABRE", "Marius"),
    ]
    for identifiant, caf_nom, nom, prenom in agents:
        if not User.objects.filter(identifiant=identifiant).exists():
            UserFactory(
                caf_agent=True,
                identifiant=identifiant,
                caf=Caf.objects.get(nom=caf_nom),
                nom=nom,
                prenom=prenom,
                email=f"{identifiant}@caf.example.fr",
            )
    if not User.objects.filter(identifiant="admin").exists():
        UserFactory(
            identifiant="admin",
            organisme=None,
            nom="ADMINISTRATEUR",
            prenom="Super",
            email="admin@caf.example.fr",
            is_staff=True,
            is_superuser=True,
        )
    stdout.write("Comptes du back-office Caf : prêts.")
