"""Demo data of the deck's partners: their Cafs, organismes, conventions, users and groups."""

import datetime

from accounts.models import User
from conventions.models import (
    Caf,
    Convention,
    ConventionAdministrator,
    HabilitationGroup,
    Organisme,
    PartnerType,
)
from conventions.services import add_to_group, close_membership
from devtools.builders import DEMO_PASSWORD, luhn_siret

CLOS = "Centre Social le Clos des Potiers"
MARTIGUES = "COMMUNE DE MARTIGUES"
PETITS_DROLES = "ASSOC PETITS DROLES"

# The MCP administrators: identifiant, organisme, nom, prénom, mail, téléphone, date d'ouverture, and the
# groups they belong to since 1 January 2019.
HABILITER, DECLARER = HabilitationGroup.HABILITER, HabilitationGroup.DECLARER
ADMINISTRATORS = [
    ("100000001", CLOS, "BERNARD", "Claire", "claire.bernard@csdp.fr", "04 77 12 34 56", datetime.date(2016, 2, 24),
     [HABILITER, DECLARER]),
    ("100000002", MARTIGUES, "ROUX", "Sophie", "sophie.roux@ville-martigues.fr", "04 42 12 34 56",
     datetime.date(2018, 9, 1), [HABILITER]),
    ("100000003", PETITS_DROLES, "PETIT", "Lucie", "lucie.petit@petitsdroles.fr", "04 77 70 00 00",
     datetime.date(2017, 1, 15), [HABILITER]),
]  # fmt: skip
# identifiant, nom, prénom, mail, téléphone, date d'ouverture (slide N°8), then more to fill two pages.
CLOS_USERS = [
    ("123456789", "DUBOIS", "Jean", "jean.dubois@csdp.fr", "01 23 45 67 89", datetime.date(2017, 10, 1)),
    ("987654321", "LEFEBVRE", "Marc", "marc.lefebvre@csdp.fr", "01 98 76 54 32", datetime.date(2017, 10, 22)),
    ("567890123", "MARTIN", "Marie", "marie.martin@csdp.fr", "01 56 78 90 12", datetime.date(2017, 10, 10)),
    ("345678901", "ROUSSEAU", "Paul", "paul.rousseau@csdp.fr", "01 34 56 78 90", datetime.date(2017, 11, 5)),
]
MORE_CLOS_NAMES = [
    ("GIRARD", "Camille"), ("BONNET", "Lucas"), ("FONTAINE", "Léa"), ("MERCIER", "Hugo"),
    ("LAMBERT", "Chloé"), ("FAURE", "Louis"), ("ANDRE", "Manon"), ("BLANC", "Nathan"),
    ("GUERIN", "Inès"), ("MULLER", "Théo"), ("HENRY", "Jade"), ("ROUSSEL", "Gabriel"),
    ("NICOLAS", "Emma"), ("PERRIN", "Arthur"), ("MOREL", "Louise"), ("MATHIEU", "Raphaël"),
    ("CLEMENT", "Zoé"), ("GAUTHIER", "Jules"),
]  # fmt: skip


def _caf(code, nom):
    return Caf.objects.get_or_create(code=code, defaults={"nom": nom})[0]


def _partner_type(libelle):
    return PartnerType.objects.get_or_create(libelle=libelle)[0]


def _organisme(raison_sociale, siret_prefix, type_libelle, caf, adresse):
    existing = Organisme.objects.filter(raison_sociale=raison_sociale).first()
    return existing or Organisme.objects.create(
        raison_sociale=raison_sociale,
        siret=luhn_siret(siret_prefix),
        type=_partner_type(type_libelle),
        caf=caf,
        adresse=adresse,
    )


def _convention(organisme, opened, email_caf=""):
    existing = Convention.objects.filter(organisme=organisme).first()
    return existing or Convention.objects.create(
        libelle=organisme.raison_sociale,
        organisme=organisme,
        caf=organisme.caf,
        date_ouverture=opened,
        etat=Convention.Etat.VALABLE,
        email_caf=email_caf,
    )


def _user(identifiant, organisme, **fields):
    user = User.objects.filter(identifiant=identifiant).first()
    return user or User.objects.create_user(identifiant, DEMO_PASSWORD, organisme=organisme, **fields)


def _join(user, code, opened, closed=None, closed_by=None):
    """Through the services, as the partner's administrator does: « Ajouter au groupe », then closing."""
    if not user.memberships.filter(group__code=code).exists():
        membership = add_to_group(user, HabilitationGroup.objects.get(code=code), opened)
        if closed:
            close_membership(membership, by=closed_by, on=closed)


def _administer(convention, user):
    if not convention.administrators.filter(user=user).exists():
        ConventionAdministrator.objects.create(
            convention=convention, user=user, date_debut=convention.date_ouverture
        )


def load(stdout):
    loire = _caf("421", "Caf de la Loire")
    bdr = _caf("131", "Caf des Bouches-du-Rhône")
    _caf("371", "Caf de Touraine")
    _partner_type("Bailleur")

    clos = _organisme(CLOS, "4420000000001", "Association", loire, "12 rue des Potiers\n42100 Saint-Étienne")
    martigues = _organisme(MARTIGUES, "2130005600001", "Commune", bdr, "Hôtel de ville\n13500 Martigues")
    droles = _organisme(
        PETITS_DROLES, "4420000000099", "Association", loire, "3 place du Marché\n42000 Roanne"
    )

    conventions = {
        CLOS: _convention(clos, datetime.date(2016, 2, 24), "mon-compte-partenaire@caf42.example.fr"),
        MARTIGUES: _convention(martigues, datetime.date(2018, 9, 1)),
        PETITS_DROLES: _convention(droles, datetime.date(2017, 1, 15)),
    }
    for identifiant, partner, nom, prenom, mail, phone, opened, groups in ADMINISTRATORS:
        convention = conventions[partner]
        administrator = _user(
            identifiant, convention.organisme, nom=nom, prenom=prenom, email=mail, telephone=phone,
            date_ouverture=opened,
        )  # fmt: skip
        _administer(convention, administrator)
        for code in groups:
            _join(administrator, code, datetime.date(2019, 1, 1))
    claire = User.objects.get(identifiant="100000001")

    for identifiant, nom, prenom, mail, phone, opened in CLOS_USERS:
        _user(identifiant, clos, nom=nom, prenom=prenom, email=mail, telephone=phone, date_ouverture=opened)
    _join(User.objects.get(identifiant="123456789"), HabilitationGroup.DECLARER, datetime.date(2017, 10, 1))
    for index, (nom, prenom) in enumerate(MORE_CLOS_NAMES):
        _user(
            f"{400000001 + index}", clos, nom=nom, prenom=prenom,
            email=f"{prenom}.{nom}@csdp.fr".lower().replace("é", "e").replace("è", "e").replace("ï", "i"),
            telephone=f"04 77 00 00 {index:02d}", date_ouverture=datetime.date(2018, 1, 8),
        )  # fmt: skip

    # The groups' history and a closed account (« Supprimer »): nothing is erased.
    _join(
        User.objects.get(identifiant="567890123"), HabilitationGroup.DECLARER,
        datetime.date(2018, 1, 8), closed=datetime.date(2020, 9, 1), closed_by=claire,
    )  # fmt: skip
    _join(User.objects.get(identifiant="987654321"), HabilitationGroup.DECLARER, datetime.date(2017, 10, 22))
    former = _user(
        "400000050", clos, nom="CHEVALIER", prenom="Anne", email="anne.chevalier@csdp.fr",
        telephone="04 77 00 00 50", date_ouverture=datetime.date(2016, 3, 1),
        date_cloture=datetime.date(2024, 6, 30), closed_by=claire,
    )  # fmt: skip
    _join(former, HabilitationGroup.DECLARER, datetime.date(2016, 3, 1), datetime.date(2024, 6, 30), claire)

    steed = _user(
        "300000001", martigues, nom="STEED", prenom="John", email="john.steed@ville-martigues.fr",
        telephone="04 42 00 00 01", date_ouverture=datetime.date(2019, 1, 15),
    )  # fmt: skip
    _join(steed, HabilitationGroup.DECLARER, datetime.date(2019, 1, 15))

    test_caf = _user(
        "300000002", droles, nom="CAF Test", prenom="Test CAF", email="test.caf@petitsdroles.fr",
        telephone="04 77 70 00 01", date_ouverture=datetime.date(2019, 1, 1),
    )  # fmt: skip
    _join(test_caf, HabilitationGroup.DECLARER, datetime.date(2019, 1, 1))
    stdout.write("Conventions, organismes et utilisateurs partenaires : prêts.")


def caf(nom):
    return Caf.objects.get(nom=nom)
