"""Volume data of accounts: the users of every organisme and one agent per Caf."""

import datetime

from django.contrib.auth.hashers import make_password

from accounts.models import User
from devtools.builders import DEMO_PASSWORD
from devtools.volume.plan import LOGINS, bulk, spread

NOMS = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT"]
PRENOMS = ["Camille", "Lucas", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Nathan", "Inès", "Théo", "Jade"]
FIRST_IDENTIFIANT = 400_000_000


def generate_users(plan, data, progress):
    """plan.users partner users (plan.large_partner_users in the first organisme), one user in thirty
    already closed, plus one agent per Caf. All share the demo password, hashed once."""
    password = make_password(DEMO_PASSWORD)
    per_org = spread(plan.users, len(data.organisme_ids), first=plan.large_partner_users)
    opened = datetime.date(2018, 3, 1)

    def users():
        n = 0
        for org, count in enumerate(per_org):
            for _ in range(count):
                yield User(
                    identifiant=str(FIRST_IDENTIFIANT + n),
                    nom=f"{NOMS[n % len(NOMS)]}{n % 997:03d}",
                    prenom=PRENOMS[n % len(PRENOMS)],
                    email=f"u{FIRST_IDENTIFIANT + n}@volume.example.fr",
                    organisme_id=data.organisme_ids[org],
                    password=password,
                    date_ouverture=opened,
                    date_cloture=datetime.date(2024, 1, 1) if n % 30 == 29 else None,
                )
                n += 1

    ids = bulk(User, users(), plan.users, "utilisateurs", progress)
    data.identifiant_of = {pk: str(FIRST_IDENTIFIANT + n) for n, pk in enumerate(ids)}
    data.users_by_org, start = [], 0
    for count in per_org:
        data.users_by_org.append(ids[start : start + count])
        start += count
    data.closed_user_ids = {pk for n, pk in enumerate(ids) if n % 30 == 29}
    agents = (
        User(
            identifiant=f"agent.d{code.lower()}",
            nom="AGENT",
            prenom=f"Caf {code}",
            email=f"agent.{code.lower()}@volume.example.fr",
            caf_id=caf_id,
            is_staff=True,
            password=password,
            date_ouverture=opened,
        )
        for code, caf_id in zip(data.caf_codes, data.caf_ids, strict=True)
    )
    bulk(User, agents, len(data.caf_ids), "agents des Caf", progress)
    LOGINS.append(
        (f"agent.d{data.caf_codes[0].lower()}", f"agent de la Caf du département {data.caf_codes[0]}")
    )
