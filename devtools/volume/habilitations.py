"""Volume data of AFAS: activités, lieux d'implantation and habilitations in every state."""

import datetime

from django.utils import timezone

from afas.models import Activite, ActivityNature, ActivityType, Habilitation, Lieu, Role
from devtools.volume.plan import bulk, spread

TYPES = [("ALSH", "Accueil de loisirs sans hébergement"), ("EAJE", "Établissement d'accueil du jeune enfant")]
TYPES += [("LAEP", "Lieu d'accueil enfants-parents"), ("RPE", "Relais petite enfance")]
NATURES = ["Périscolaire", "Extrascolaire", "Accueil de jeunes"]
Decision = Habilitation.CafDecision

# Out of every 20 habilitations: 12 in force, 3 ended, 1 starting later, 2 approbateurs awaiting the Caf,
# 1 refused and 1 validated by the Caf. Users closed or out of AFAS-DECLARER make more inactive ones.
STATES = ["in_force"] * 12 + ["ended"] * 3 + ["future", "pending", "pending", "refused", "validated"]


def generate_activites_and_lieux(plan, data, progress):
    types = [
        ActivityType.objects.get_or_create(code=c, defaults={"libelle": label})[0].pk for c, label in TYPES
    ]
    natures = [ActivityNature.objects.get_or_create(libelle=libelle)[0].pk for libelle in NATURES]
    per_org = spread(plan.activites, len(data.organisme_ids), first=plan.large_partner_activites)
    owners = [org for org, count in enumerate(per_org) for _ in range(count)]
    activites = (
        Activite(
            organisme_id=data.organisme_ids[org],
            nom=f"{TYPES[n % len(TYPES)][0]} {NATURES[n % len(NATURES)]} {n:05d}",
            type_id=types[n % len(types)],
            nature_id=natures[n % len(natures)],
        )
        for n, org in enumerate(owners)
    )
    activite_ids = bulk(Activite, activites, len(owners), "activités", progress)
    data.activite_ids = activite_ids
    data.activite_type_ids = [types[n % len(types)] for n in range(len(owners))]
    data.activite_caf_ids = [data.organisme_caf_ids[org] for org in owners]
    data.activites_by_org = [[] for _ in data.organisme_ids]
    for org, pk in zip(owners, activite_ids, strict=True):
        data.activites_by_org[org].append(pk)
    per_activite = spread(plan.lieux, len(activite_ids))
    lieu_owners = [pk for pk, count in zip(activite_ids, per_activite, strict=True) for _ in range(count)]
    lieux = (
        Lieu(activite_id=activite_id, nom=f"Site {n:06d}", adresse=f"{n % 90 + 1} avenue de la Paix")
        for n, activite_id in enumerate(lieu_owners)
    )
    lieu_ids = bulk(Lieu, lieux, len(lieu_owners), "lieux d'implantation", progress)
    data.lieux_by_activite = {}
    for activite_id, pk in zip(lieu_owners, lieu_ids, strict=True):
        data.lieux_by_activite.setdefault(activite_id, []).append(pk)


def habilitation(user_id, granted_by, scope, state, n, today, now):
    activite_id, lieu_id = scope
    debut = datetime.date(2019 + n % 6, 1 + n % 12, 1 + n % 28)
    row = Habilitation(
        user_id=user_id,
        activite_id=activite_id,
        lieu_id=lieu_id,
        role=Role.FR_DA if lieu_id or n % 2 else Role.FR_DF,
        debut=debut,
        granted_by_id=granted_by,
        granted_at=now,
    )
    if state in ("pending", "refused", "validated") and lieu_id is None:
        row.role = Role.APPROBATEUR
        row.caf_decision = {"pending": Decision.PENDING, "refused": Decision.REFUSED}.get(
            state, Decision.VALIDATED
        )
        if state != "pending":
            row.decided_at = now
        if state == "refused":
            row.refusal_motif = "Justificatif de délégation de signature absent."
    elif state == "ended":
        row.fin = debut + datetime.timedelta(days=90 + n % 300)
        row.fin = min(row.fin, today)
        row.ended_by_id, row.ended_at = granted_by, now
    elif state == "future":
        row.debut = today + datetime.timedelta(days=30 + n % 150)
    return row


def generate_habilitations(plan, data, progress):
    """Each user gets its share of plan.habilitations, on distinct scopes of its organisme (activités, then
    lieux), so that no two open habilitations of a user collide."""
    all_users = [(org, user) for org, users in enumerate(data.users_by_org) for user in users]
    per_user = spread(plan.habilitations, len(all_users))
    today, now = timezone.localdate(), timezone.now()
    scopes_of = {}

    def scopes(org):
        if org not in scopes_of:
            activites = data.activites_by_org[org]
            scopes_of.clear()  # users come organisme by organisme: keep one in memory
            scopes_of[org] = [(a, None) for a in activites] + [
                (a, lieu) for a in activites for lieu in data.lieux_by_activite.get(a, [])
            ]
        return scopes_of[org]

    def rows():
        n = carry = 0  # what a user with too few scopes could not take goes to the next one
        # Organismes with the fewest activités come last (spread()): start with them, so that what they
        # cannot carry goes to richer ones.
        pairs = list(zip(all_users, per_user, strict=True))[::-1]
        for position, ((org, user_id), count) in enumerate(pairs):
            available = scopes(org)
            taken = min(count + carry, len(available))
            carry = count + carry - taken
            for k in range(taken):
                scope = available[(position * 3 + k) % len(available)]
                state = STATES[n * 2654435761 % 2**32 % len(STATES)]  # not tied to the user's position
                yield habilitation(user_id, data.admin_by_org[org], scope, state, n, today, now)
                n += 1

    data.habilitation_ids = bulk(Habilitation, rows(), plan.habilitations, "habilitations", progress)
    if len(data.habilitation_ids) < plan.habilitations:
        progress.stream.write(
            f"(habilitations : {len(data.habilitation_ids)} seulement, les organismes n'ont pas assez d'activités "
            "et de lieux pour en porter plus sans doublon)\n"
        )
