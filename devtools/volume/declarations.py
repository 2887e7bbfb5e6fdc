"""Volume data of declarations: campaigns and declarations over four exercices, in every state, with
their parts (one activity part per lieu, or one for the activité, and the financial part)."""

import datetime

from afas.models import ActivityData, Campaign, Declaration, DeclarationType, FinancialData, State
from devtools.volume.plan import bulk, spread

EXERCICES = [2022, 2023, 2024, 2025]
P, A, R = DeclarationType.PREVISIONNEL, DeclarationType.ACTUALISE, DeclarationType.REEL
# What an activité declares first: this year's forecasts and last years' actual figures, then the rest.
COMBINATIONS = [(2025, P), (2024, R), (2025, A), (2023, R), (2022, R), (2024, P), (2024, A), (2025, R)]
COMBINATIONS += [(2023, P), (2023, A), (2022, P), (2022, A)]
# Past exercices are settled; the last one is being worked on, in every state.
CURRENT_STATES = [State.A_SAISIR, State.EN_COURS, State.EN_COURS, State.A_APPROUVER, State.A_CORRIGER]
CURRENT_STATES += [State.TRANSMISE, State.VALIDEE]


def state_of(exercice, n):
    spread_n = n * 2654435761 % 2**32  # decorrelates the state from the position within an activité
    if exercice < EXERCICES[-1]:
        return State.VALIDEE if spread_n % 10 else State.TRANSMISE
    return CURRENT_STATES[spread_n % len(CURRENT_STATES)]


def generate_declarations(plan, data, progress):
    activite_ids = data.activite_ids
    per_activite = [min(count, len(COMBINATIONS)) for count in spread(plan.declarations, len(activite_ids))]
    combinations = [COMBINATIONS[:count] for count in per_activite]
    wanted = {
        (data.activite_caf_ids[i], data.activite_type_ids[i], kind, exercice)
        for i in range(len(activite_ids))
        for exercice, kind in combinations[i]
    }
    campaigns = (
        Campaign(
            caf_id=caf,
            activity_type_id=activity_type,
            type=kind,
            exercice=exercice,
            date_ouverture=datetime.date(exercice, 1, 15),
            date_limite=datetime.date(exercice + 1, 6, 30),
        )
        for caf, activity_type, kind, exercice in sorted(wanted)
    )
    campaign_ids = dict(
        zip(sorted(wanted), bulk(Campaign, campaigns, len(wanted), "campagnes", progress), strict=True)
    )

    def declarations():
        n = 0
        for i, pk in enumerate(activite_ids):
            caf, activity_type = data.activite_caf_ids[i], data.activite_type_ids[i]
            for exercice, kind in combinations[i]:
                yield Declaration(
                    activite_id=pk,
                    campaign_id=campaign_ids[(caf, activity_type, kind, exercice)],
                    type=kind,
                    exercice=exercice,
                    state=state_of(exercice, n),
                )
                n += 1

    total = sum(per_activite)
    declaration_ids = bulk(Declaration, declarations(), total, "déclarations", progress)
    owners = [pk for pk, count in zip(activite_ids, per_activite, strict=True) for _ in range(count)]

    def activity_parts():
        for declaration_id, activite_id in zip(declaration_ids, owners, strict=True):
            lieux = data.lieux_by_activite.get(activite_id, [])
            for lieu in lieux if len(lieux) > 1 else [None]:
                yield ActivityData(declaration_id=declaration_id, lieu_id=lieu)

    parts = sum(max(1, len(data.lieux_by_activite.get(pk, []))) for pk in owners)
    bulk(ActivityData, activity_parts(), parts, "données d'activité", progress)
    financial = (FinancialData(declaration_id=pk) for pk in declaration_ids)
    bulk(FinancialData, financial, total, "données financières", progress)
    data.declaration_ids = declaration_ids
