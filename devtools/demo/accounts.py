"""Demo accounts of the Caf back-office (the partners' users come with devtools.demo.conventions)."""

import datetime

from accounts.models import User
from conventions.models import Caf
from devtools.builders import DEMO_PASSWORD

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


def _back_office_user(identifiant, **fields):
    if not User.objects.filter(identifiant=identifiant).exists():
        User.objects.create_user(
            identifiant,
            DEMO_PASSWORD,
            telephone="01 23 45 67 89",
            date_ouverture=datetime.date(2017, 10, 1),
            is_staff=True,
            **fields,
        )


def load(stdout):
    agents = [
        ("agent.loire", "Caf de la Loire", "DURAND", "Agnès"),
        ("agent.bdr", "Caf des Bouches-du-Rhône", "FABRE", "Marius"),
    ]
    for identifiant, caf_nom, nom, prenom in agents:
        _back_office_user(
            identifiant,
            caf=Caf.objects.get(nom=caf_nom),
            nom=nom,
            prenom=prenom,
            email=f"{identifiant}@caf.example.fr",
        )
    _back_office_user(
        "admin", nom="ADMINISTRATEUR", prenom="Super", email="admin@caf.example.fr", is_superuser=True
    )
    stdout.write("Comptes du back-office Caf : prêts.")
