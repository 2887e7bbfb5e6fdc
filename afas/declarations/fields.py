"""The fields of each part, per type d'activité, kept as data.

A type d'activité lists its activity fields; every type shares the compte de résultat. To add a type (EAJE,
LAEP…) add an entry to ACTIVITY_FIELDS; a type without its own entry uses DEFAULT_ACTIVITY_FIELDS.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    group: str = ""
    integer: bool = False
    unit: str = ""


ALSH_ACTIVITY_FIELDS = (
    Field("jours_ouverture", "Jours d'ouverture", "Ouverture", integer=True, unit="jours"),
    Field("heures_ouverture_jour", "Heures d'ouverture par jour", "Ouverture", unit="heures"),
    Field("capacite", "Capacité (places)", "Ouverture", integer=True, unit="places"),
    Field("inscrits_moins_6", "Enfants inscrits de moins de 6 ans", "Enfants inscrits", integer=True),
    Field("inscrits_6_plus", "Enfants inscrits de 6 ans et plus", "Enfants inscrits", integer=True),
    Field("heures_realisees_moins_6", "Heures réalisées moins de 6 ans", "Heures réalisées", unit="heures"),
    Field("heures_realisees_6_plus", "Heures réalisées 6 ans et plus", "Heures réalisées", unit="heures"),
    Field("heures_facturees", "Heures facturées", "Heures facturées", unit="heures"),
)

ACTIVITY_FIELDS = {
    "ALSH": ALSH_ACTIVITY_FIELDS,
}
DEFAULT_ACTIVITY_FIELDS = ALSH_ACTIVITY_FIELDS

# What the computations read, whatever the type: the codes summed into each quantity.
HEURES_REALISEES = ("heures_realisees_moins_6", "heures_realisees_6_plus")
INSCRITS = ("inscrits_moins_6", "inscrits_6_plus")

CHARGES = "Charges"
PRODUITS = "Produits"

FINANCIAL_FIELDS = (
    Field("c60", "60 — Achats", CHARGES),
    Field("c61_62", "61-62 — Services extérieurs", CHARGES),
    Field("c63", "63 — Impôts et taxes", CHARGES),
    Field("c64", "64 — Charges de personnel", CHARGES),
    Field("c65_68", "65 à 68 — Autres charges", CHARGES),
    Field("c86", "86 — Contributions volontaires en nature", CHARGES),
    Field("p70", "70 — Participations des familles", PRODUITS),
    Field("p74_caf", "74 — Subvention Caf (prestation de service)", PRODUITS),
    Field("p74_commune", "74 — Subvention de la commune", PRODUITS),
    Field("p74_autres", "74 — Autres subventions", PRODUITS),
    Field("p75_78", "75 à 78 — Autres produits", PRODUITS),
    Field("p87", "87 — Contributions volontaires en nature", PRODUITS),
)
CHARGE_CODES = tuple(f.code for f in FINANCIAL_FIELDS if f.group == CHARGES)
PRODUIT_CODES = tuple(f.code for f in FINANCIAL_FIELDS if f.group == PRODUITS)


def activity_fields(activity_type_code):
    return ACTIVITY_FIELDS.get(activity_type_code, DEFAULT_ACTIVITY_FIELDS)
