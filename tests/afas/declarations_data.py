"""Known figures for the declarations' tests: capacité théorique 40 × 200 × 10 = 80 000 h, heures réalisées
50 000 h, total des charges 100 000 €, so a prix de revient horaire of 2,00 €."""

ACTIVITY = {
    "jours_ouverture": "200",
    "heures_ouverture_jour": "10",
    "capacite": "40",
    "inscrits_moins_6": "30",
    "inscrits_6_plus": "50",
    "heures_realisees_moins_6": "20000",
    "heures_realisees_6_plus": "30000",
    "heures_facturees": "52000",
}
FINANCIAL = {
    "c60": "10000",
    "c61_62": "5000",
    "c63": "1000",
    "c64": "80000",
    "c65_68": "2000",
    "c86": "2000",
    "p70": "20000",
    "p74_caf": "30000",
    "p74_commune": "40000",
    "p74_autres": "5000",
    "p75_78": "1000",
    "p87": "2000",
}


def activity(**changes):
    return {**ACTIVITY, **{key: str(value) for key, value in changes.items()}}


def financial(**changes):
    return {**FINANCIAL, **{key: str(value) for key, value in changes.items()}}
