"""Volume data of conventions: Cafs, partner types, organismes, conventions, administrators, memberships."""

import datetime

from conventions.models import (
    Caf,
    Convention,
    ConventionAdministrator,
    HabilitationGroup,
    Membership,
    Organisme,
    PartnerType,
)
from devtools.builders import luhn_siret
from devtools.volume.plan import LOGINS, bulk

# The 101 départements, one Caf each.
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"] + [f"{n:02d}" for n in range(21, 96)]
DEPARTEMENTS += ["971", "972", "973", "974", "976"]
PARTNER_TYPES = [
    "Association",
    "Commune",
    "Centre communal d'action sociale",
    "Bailleur",
    "Entreprise",
    "EPCI",
]
PLACES = ["Les Tilleuls", "Jean Jaurès", "du Centre", "Les Lilas", "de la Gare", "Victor Hugo", "du Parc"]
LARGE_PARTNER = "Fédération nationale des centres sociaux (grand partenaire)"
OPENED = datetime.date(2018, 1, 1)


def generate_cafs_and_organismes(plan, data, progress):
    codes = DEPARTEMENTS[: plan.cafs] + [f"X{n}" for n in range(max(0, plan.cafs - len(DEPARTEMENTS)))]
    data.caf_ids = bulk(
        Caf,
        (Caf(code=f"D{code}", nom=f"Caf du département {code}") for code in codes),
        len(codes),
        "Caf",
        progress,
    )
    data.caf_codes = codes
    types = [PartnerType.objects.get_or_create(libelle=libelle)[0].pk for libelle in PARTNER_TYPES]

    def organismes():
        for i in range(plan.organismes):
            kind = PARTNER_TYPES[i % len(PARTNER_TYPES)]
            name = LARGE_PARTNER if i == 0 else f"{kind} {PLACES[i % len(PLACES)]} n°{i:05d}"
            yield Organisme(
                raison_sociale=name,
                siret=luhn_siret(f"9{i:012d}"),
                type_id=types[i % len(types)],
                caf_id=data.caf_ids[i % len(data.caf_ids)],
                adresse=f"{i % 120 + 1} rue de la République",
            )

    data.organisme_ids = bulk(Organisme, organismes(), plan.organismes, "organismes", progress)
    data.organisme_caf_ids = [data.caf_ids[i % len(data.caf_ids)] for i in range(plan.organismes)]


def generate_conventions_and_administrators(plan, data, progress):
    """One open convention per organisme, the rest older ones already denounced; the first user of each
    organisme is the named administrator of its open convention."""
    extra = max(0, plan.conventions - plan.organismes)

    def conventions():
        for i, organisme_id in enumerate(data.organisme_ids):
            yield Convention(
                libelle=f"Convention MCP {i:05d}",
                caf_id=data.organisme_caf_ids[i],
                organisme_id=organisme_id,
                date_ouverture=OPENED,
            )
        for j in range(extra):
            i = (j + 1) % len(data.organisme_ids)
            yield Convention(
                libelle=f"Ancienne convention MCP {i:05d}",
                caf_id=data.organisme_caf_ids[i],
                organisme_id=data.organisme_ids[i],
                date_ouverture=datetime.date(2012, 1, 1),
                date_cloture=datetime.date(2017, 12, 31),
                etat=Convention.Etat.DENONCEE,
            )

    convention_ids = bulk(Convention, conventions(), plan.organismes + extra, "conventions", progress)
    data.admin_by_org = [users[0] if users else None for users in data.users_by_org]
    admins = (
        ConventionAdministrator(convention_id=convention_ids[i], user_id=admin, date_debut=OPENED)
        for i, admin in enumerate(data.admin_by_org)
        if admin is not None
    )
    bulk(
        ConventionAdministrator,
        admins,
        sum(1 for a in data.admin_by_org if a),
        "administrateurs MCP",
        progress,
    )


def generate_memberships(plan, data, progress):
    """Administrators in AFAS-HABILITER (but one organisme in ten) and AFAS-DECLARER; four users in five
    in AFAS-DECLARER, one membership in twenty of those already closed."""
    habiliter = HabilitationGroup.objects.get(code=HabilitationGroup.HABILITER).pk
    declarer = HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER).pk
    data.declarant_ids = set()
    rows = []
    for org, users in enumerate(data.users_by_org):
        for position, user_id in enumerate(users):
            if position == 0:
                if org % 10 != 9:
                    rows.append(Membership(user_id=user_id, group_id=habiliter, date_ouverture=OPENED))
                rows.append(Membership(user_id=user_id, group_id=declarer, date_ouverture=OPENED))
                data.declarant_ids.add(user_id)
            elif position % 5 != 4:
                closed = position % 20 == 7
                rows.append(
                    Membership(
                        user_id=user_id,
                        group_id=declarer,
                        date_ouverture=OPENED,
                        date_cloture=datetime.date(2024, 6, 30) if closed else None,
                    )
                )
                if not closed:
                    data.declarant_ids.add(user_id)
    bulk(Membership, rows, len(rows), "appartenances aux groupes", progress)
    large, typical, without = (
        data.users_by_org[0],
        data.users_by_org[1],
        data.users_by_org[9 % len(data.users_by_org)],
    )
    identifiant = data.identifiant_of
    LOGINS.extend(
        [
            (identifiant[large[0]], "administrateur MCP du grand partenaire (AFAS-HABILITER, AFAS-DECLARER)"),
            (identifiant[large[1]], "déclarant du grand partenaire"),
            (identifiant[typical[0]], "administrateur MCP d'un partenaire ordinaire"),
            (identifiant[typical[1]], "déclarant d'un partenaire ordinaire"),
            (identifiant[without[0]], "administrateur MCP sans AFAS-HABILITER"),
        ]
    )
