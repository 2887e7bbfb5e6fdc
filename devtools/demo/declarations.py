"""Demo declarations (idempotent): campaigns of the Caf de la Loire and the Caf des Bouches-du-Rhône,
validated « Réel » declarations 2022-2024 so that statistics show something, an open « Réel 2025 » with
declarations in several states and an open « Prévisionnel 2026 ».

Works alone or after the habilitations demo: the Clos des Potiers activités, their lieux and the
habilitations of 123456789 Jean DUBOIS (Fr DA + Fr DF) and 100000001 Claire BERNARD (Approbateur validated)
are created only when missing.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from afas.declarations import services
from afas.declarations.receipts import issue_receipt
from afas.models import (
    Activite,
    ActivityData,
    ActivityNature,
    ActivityType,
    Campaign,
    Declaration,
    DeclarationType,
    FinancialData,
    Habilitation,
    Lieu,
    Role,
    State,
    StateChange,
)
from conventions.models import Caf, Organisme

CLOS = "Centre Social le Clos des Potiers"
# nom, nature, lieux, capacité, jours, heures par jour, inscrits (<6, 6+), taux d'occupation, coût horaire
CLOS_ACTIVITES = [
    ("Acc Ados Assoc", "Accueil de jeunes", ["Site"], 24, 150, 8, (0, 45), "0.62", "4.10"),
    ("Extra Assoc", "Extrascolaire", ["Site"], 60, 110, 10, (25, 70), "0.70", "3.60"),
    ("Péri Assoc", "Périscolaire", ["Site", "Site Ecoles"], 80, 140, 3, (40, 110), "0.55", "3.90"),
]
OTHERS = [
    (
        "ASSOC PETITS DROLES",
        "Péri Assoc Les Petits Droles",
        "Périscolaire",
        50,
        140,
        3,
        (20, 60),
        "0.65",
        "3.40",
    ),
    ("COMMUNE DE MARTIGUES", "ALSH Martigues", "Extrascolaire", 90, 120, 10, (40, 120), "0.75", "4.40"),
]
PAST = (2022, 2023, 2024)
CHARGES = {"c60": "0.08", "c61_62": "0.10", "c63": "0.02", "c64": "0.72", "c65_68": "0.03", "c86": "0.05"}
PRODUITS = {"p70": "0.20", "p74_caf": "0.30", "p74_commune": "0.33", "p74_autres": "0.05", "p75_78": "0.02"}


def year_factor(exercice):
    return Decimal(1) + Decimal("0.04") * (exercice - 2022)


def activity_values(profile, exercice, share):
    capacite, jours, heures_jour, (moins_6, plus_6), taux = profile[:5]
    theoretical = capacite * jours * heures_jour
    realised = Decimal(theoretical) * Decimal(taux) * min(year_factor(exercice), Decimal("1.3")) * share
    under_6 = moins_6 / (moins_6 + plus_6)
    return {
        "jours_ouverture": str(jours),
        "heures_ouverture_jour": str(heures_jour),
        "capacite": str(round(capacite * share)),
        "inscrits_moins_6": str(round(moins_6 * share)),
        "inscrits_6_plus": str(round(plus_6 * share)),
        "heures_realisees_moins_6": str(round(realised * Decimal(under_6))),
        "heures_realisees_6_plus": str(round(realised * Decimal(1 - under_6))),
        "heures_facturees": str(round(realised * Decimal("1.05"))),
    }


def financial_values(total_hours, cost, exercice):
    charges = total_hours * Decimal(cost) * year_factor(exercice)
    values = {code: str(round(charges * Decimal(rate))) for code, rate in CHARGES.items()}
    values.update({code: str(round(charges * Decimal(rate))) for code, rate in PRODUITS.items()})
    values["p87"] = values["c86"]
    return values


def fill(declaration, profile, state, by=None):
    """Fills every part from the activité's profile, marks them complete and puts the declaration in `state`."""
    parts = list(declaration.activity_data.all())
    total = Decimal(0)
    for index, part in enumerate(parts):
        share = Decimal(1) if len(parts) == 1 else (Decimal("0.6") if index == 0 else Decimal("0.4"))
        part.values = activity_values(profile, declaration.exercice, share)
        total += sum(Decimal(part.values[c]) for c in ("heures_realisees_moins_6", "heures_realisees_6_plus"))
    complete = state != State.EN_COURS
    now = timezone.now()
    for part in parts:
        part.complete, part.version, part.updated_by, part.updated_at = complete, 1, by, now
        part.completed_by, part.completed_at = (by, now) if complete else (None, None)
    ActivityData.objects.bulk_update(
        parts, ["values", "complete", "version", "updated_by", "updated_at", "completed_by", "completed_at"]
    )
    if state != State.EN_COURS:
        FinancialData.objects.filter(declaration=declaration).update(
            values=financial_values(total, profile[5], declaration.exercice),
            complete=True,
            version=1,
            updated_by=by,
            updated_at=now,
            completed_by=by,
            completed_at=now,
        )
    # The history within the campaign, so that a declaration of a past campaign is not « Hors délai ».
    moment = min(now, in_campaign(declaration.campaign))
    path = [State.A_SAISIR, State.EN_COURS, State.A_APPROUVER, State.TRANSMISE, State.VALIDEE]
    for from_state, to_state in zip(path, path[1:], strict=False):
        if path.index(from_state) >= path.index(state):
            break
        StateChange.objects.create(
            declaration=declaration, from_state=from_state, to_state=to_state, by=by, at=moment
        )
    transmitted = moment if path.index(state) >= path.index(State.TRANSMISE) else None
    Declaration.objects.filter(pk=declaration.pk).update(state=state, transmitted_at=transmitted)
    if transmitted:
        issue_receipt(declaration, by, transmitted)  # as services.transmit does


def in_campaign(campaign):
    """A moment a month after the campaign opened (before its date limite)."""
    day = min(campaign.date_ouverture + datetime.timedelta(days=30), campaign.date_limite)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def open_on(today, opening, deadline, days_left):
    """The dates of a campaign that is open on `today`: opened by then, its date limite `days_left` days
    later at the earliest."""
    return min(opening, today), max(deadline, today + datetime.timedelta(days=days_left))


def campaign(caf, alsh, type, exercice, opening, deadline):
    key = {"caf": caf, "activity_type": alsh, "type": type, "exercice": exercice}
    existing = Campaign.objects.filter(**key).first()
    if existing:
        return existing, []
    new = Campaign(**key, date_ouverture=opening, date_limite=deadline)
    return new, services.open_campaign(new, None, notify=False)


def activite(organisme, nom, nature, alsh, lieux):
    found = Activite.objects.filter(organisme=organisme, nom=nom).first()
    if not found:
        found = Activite.objects.create(
            organisme=organisme,
            nom=nom,
            type=alsh,
            nature=ActivityNature.objects.get_or_create(libelle=nature)[0],
        )
    for lieu in lieux:
        Lieu.objects.get_or_create(activite=found, nom=lieu)
    return found


def habilitation(user, role, activite, caf_decision=Habilitation.CafDecision.NOT_REQUIRED):
    if Habilitation.objects.in_force().filter(user=user, role=role, activite=activite).exists():
        return
    open_ones = Habilitation.objects.filter(user=user, role=role, activite=activite, fin__isnull=True)
    if open_ones.filter(lieu__isnull=True).exclude(caf_decision=Habilitation.CafDecision.REFUSED).exists():
        return
    Habilitation.objects.create(
        user=user, role=role, activite=activite, debut=datetime.date(2019, 2, 7), caf_decision=caf_decision
    )


def load(stdout):
    alsh, _ = ActivityType.objects.get_or_create(
        code="ALSH", defaults={"libelle": "Accueil de loisirs sans hébergement"}
    )
    jean = User.objects.get(identifiant="123456789")
    claire = User.objects.get(identifiant="100000001")
    agents = {caf.pk: User.objects.filter(caf=caf, is_staff=True).first() for caf in Caf.objects.all()}
    profiles = {}
    clos = Organisme.objects.get(raison_sociale=CLOS)
    for nom, nature, lieux, *profile in CLOS_ACTIVITES:
        found = activite(clos, nom, nature, alsh, lieux)
        profiles[found.pk] = profile
        habilitation(jean, Role.FR_DA, found)
        habilitation(jean, Role.FR_DF, found)
        habilitation(claire, Role.APPROBATEUR, found, Habilitation.CafDecision.VALIDATED)
    for raison_sociale, nom, nature, *profile in OTHERS:
        organisme = Organisme.objects.filter(raison_sociale=raison_sociale).first()
        if organisme:
            profiles[activite(organisme, nom, nature, alsh, ["Site"]).pk] = profile

    cafs = Caf.objects.filter(Q(organismes__activites__type=alsh)).distinct()
    for caf in cafs:
        for exercice in PAST:
            _, created = campaign(
                caf,
                alsh,
                DeclarationType.REEL,
                exercice,
                datetime.date(exercice + 1, 1, 15),
                datetime.date(exercice + 1, 4, 30),
            )
            for declaration in created:
                fill(
                    declaration,
                    profiles.get(declaration.activite_id, OTHERS[0][3:]),
                    State.VALIDEE,
                    agents.get(caf.pk),
                )

    loire = clos.caf
    # The campaigns being worked on are open on whatever day the demo is loaded (rule 13).
    today = timezone.localdate()
    reel = open_on(today, datetime.date(2026, 1, 15), datetime.date(2026, 12, 31), days_left=60)
    current, created = campaign(loire, alsh, DeclarationType.REEL, 2025, *reel)
    states = {
        "Extra Assoc": State.A_APPROUVER,
        "Péri Assoc": State.EN_COURS,
        "Péri Assoc Les Petits Droles": State.TRANSMISE,
    }
    for declaration in created:
        state = states.get(declaration.activite.nom)
        if state:
            fill(declaration, profiles[declaration.activite_id], state, jean)
    previsionnel = open_on(today, datetime.date(2026, 10, 1), datetime.date(2027, 1, 31), days_left=90)
    campaign(loire, alsh, DeclarationType.PREVISIONNEL, 2026, *previsionnel)
    stdout.write(
        f"Déclarations AFAS : {Declaration.objects.count()} déclarations, {Campaign.objects.count()} campagnes."
    )
    # Jean DUBOIS is Fr DA of the Clos des Potiers' activités: the template of the import lists them (rule 23).
    stdout.write(
        f"Import de données d'activité (123456789) : {reverse('afas:declaration_import_upload', args=[current.pk])}, "
        f"modèle pré-rempli : {reverse('afas:declaration_import_template', args=[current.pk, 'xlsx'])}"
    )
