"""Demo data of the AFAS habilitations: the deck's activités and lieux, habilitations in every état."""

import datetime

from django.utils import timezone

from accounts.models import User
from afas.habilitations.services import record
from afas.models import Activite, ActivityNature, ActivityType, AuditAction, Habilitation, Lieu, Role
from conventions.models import HabilitationGroup, Membership, Organisme

CafDecision = Habilitation.CafDecision
TYPES = [
    ("ALSH", "Accueil de loisirs sans hébergement"),
    ("EAJE", "Établissement d'accueil du jeune enfant"),
    ("LAEP", "Lieu d'accueil enfants-parents"),
    ("RPE", "Relais petite enfance"),
]
NATURES = ["Périscolaire", "Extrascolaire", "Accueil de jeunes", "Petite enfance"]

# organisme, activité, nature, lieux
ACTIVITES = [
    ("Centre Social le Clos des Potiers", "Acc Ados Assoc", "Accueil de jeunes", ["Site"]),
    ("Centre Social le Clos des Potiers", "Extra Assoc", "Extrascolaire", ["Site", "Site Ecoles"]),
    ("Centre Social le Clos des Potiers", "Péri Assoc", "Périscolaire", ["Site", "Site Ecoles"]),
    ("COMMUNE DE MARTIGUES", "ESC Commune de Martigues", "Extrascolaire", ["Centre social Jonquières"]),
    ("ASSOC PETITS DROLES", "Péri Assoc Les Petits Droles", "Périscolaire", ["Site"]),
]


def _activity_type(code, libelle):
    return ActivityType.objects.get_or_create(code=code, defaults={"libelle": libelle})[0]


def _nature(libelle):
    return ActivityNature.objects.get_or_create(libelle=libelle)[0]


def _activite(organisme, nom, nature, lieux):
    alsh = _activity_type(*TYPES[0])
    activite = Activite.objects.filter(organisme=organisme, nom=nom).first() or Activite.objects.create(
        organisme=organisme, nom=nom, type=alsh, nature=_nature(nature)
    )
    for lieu in lieux:
        if not activite.lieux.filter(nom=lieu).exists():
            Lieu.objects.create(
                activite=activite, nom=lieu, adresse=f"{lieu}, {organisme.adresse.splitlines()[-1]}"
            )
    return activite


def _habilitation(user, role, activite, lieu=None, debut=datetime.date(2019, 2, 7), **fields):
    """Creates it unless the same user, rôle, scope and start date already exist (idempotent)."""
    existing = Habilitation.objects.filter(user=user, role=role, activite=activite, lieu=lieu, debut=debut)
    if existing.exists():
        return existing.first()
    if role == Role.APPROBATEUR:
        fields.setdefault("caf_decision", CafDecision.VALIDATED)
    granted_by = User.objects.filter(
        administered_conventions__convention__organisme=activite.organisme
    ).first()
    habilitation = Habilitation.objects.create(
        user=user, role=role, activite=activite, lieu=lieu, debut=debut, granted_by=granted_by, **fields
    )
    record(AuditAction.GRANT, granted_by, habilitation, scope=habilitation.scope_label)
    return habilitation


def _declarant(identifiant):
    user = User.objects.get(identifiant=identifiant)
    group = HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER)
    if not user.memberships.current().filter(group=group).exists():
        # Joins (or joins again, after a closed membership) on 01/01/2021.
        Membership.objects.create(user=user, group=group, date_ouverture=datetime.date(2021, 1, 1))
    return user


def load(stdout):
    for code, libelle in TYPES:
        _activity_type(code, libelle)
    for libelle in NATURES:
        _nature(libelle)
    activites = {}
    for raison_sociale, nom, nature, lieux in ACTIVITES:
        organisme = Organisme.objects.get(raison_sociale=raison_sociale)
        activites[nom] = _activite(organisme, nom, nature, lieux)
    ados, extra, peri = activites["Acc Ados Assoc"], activites["Extra Assoc"], activites["Péri Assoc"]

    claire = _declarant("100000001")
    jean = _declarant("123456789")
    marc = _declarant("987654321")
    _declarant("567890123")  # Marie MARTIN: in AFAS-DECLARER, no habilitation yet (to habilitate)
    # Actif: Jean DUBOIS provides activity and financial data of every Clos activité.
    for activite in (ados, extra, peri):
        _habilitation(jean, Role.FR_DA, activite)
        _habilitation(jean, Role.FR_DF, activite)
    # Actif: Claire BERNARD approves Péri Assoc (validated by the Caf); Fr DA on one lieu.
    _habilitation(claire, Role.APPROBATEUR, peri, decided_at=timezone.now())
    _habilitation(marc, Role.FR_DA, extra, Lieu.objects.get(activite=extra, nom="Site"))
    # Inactif: an approbateur awaiting the Caf, and a Fr DA that starts later.
    _habilitation(
        marc, Role.APPROBATEUR, extra, debut=datetime.date(2026, 9, 1), caf_decision=CafDecision.PENDING
    )
    _habilitation(
        marc,
        Role.FR_DA,
        peri,
        Lieu.objects.get(activite=peri, nom="Site Ecoles"),
        debut=datetime.date(2030, 9, 1),
    )
    # Historique: an ended Fr DF.
    _habilitation(marc, Role.FR_DF, ados, debut=datetime.date(2019, 2, 7), fin=datetime.date(2020, 8, 31))

    # Assoc Petits Droles: the deck's « Test CAF CAF Test », whose habilitations have ended (Historique).
    droles = activites["Péri Assoc Les Petits Droles"]
    test_caf = User.objects.get(identifiant="300000002")
    ended = {"debut": datetime.date(2019, 2, 7), "fin": datetime.date(2021, 7, 1)}
    _habilitation(test_caf, Role.APPROBATEUR, droles, **ended)
    _habilitation(test_caf, Role.FR_DA, droles, **ended)
    _habilitation(test_caf, Role.FR_DF, droles, **ended)
    _habilitation(test_caf, Role.FR_DA, droles, droles.lieux.get(nom="Site"), **ended)
    stdout.write("Module AFAS : activités, lieux d'implantation et habilitations prêts.")
