"""Demo accounts of the Caf back-office (the partners' users come with devtools.demo.conventions)."""

import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.second_factor.services import TOTP_NAME, is_required
from conventions.models import Caf
from devtools.builders import DEMO_PASSWORD, demo_totp_key

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
    give_demo_second_factors()
    stdout.write(
        "Second facteur des administrateurs et agents de démonstration : prêt (manage.py demo_totp)."
    )


def give_demo_second_factors():
    """Every demo account that must have a second factor gets the one demo TOTP key (DEMO_TOTP_SECRET)."""
    key = demo_totp_key()
    for identifiant, _ in ACCOUNTS:
        user = User.objects.get(identifiant=identifiant)
        if is_required(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, key=key, name=TOTP_NAME, confirmed=True)
