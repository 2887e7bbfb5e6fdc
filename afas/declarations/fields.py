"""The fields of each part, per type d'activité, kept as data.

A type d'activité lists its activity fields; every type shares the compte de résultat. To add a type (LAEP,
RPE…) add an entry to ACTIVITY_FIELDS; a type without its own entry uses DEFAULT_ACTIVITY_FIELDS. The
`measure` of a field says what the computations read from it (fields of the same measure are summed):
capacité théorique = capacite × jours × heures_jour; prix de revient = charges ÷ heures_realisees…

The bounds are data too: `maximum` of a field (a year has 366 days, a day 24 hours) and AMOUNT_CEILINGS,
the largest amount one line of the compte de résultat may hold for a type d'activité (above, the figure is
a typing error, not a budget).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    group: str = ""
    integer: bool = False
    unit: str = ""
    measure: str = ""
    maximum: Decimal | None = None

    @property
    def places(self):
        """Decimals a value may have: none for a count, cents for an amount, hundredths of an hour."""
        return 0 if self.integer else 2

    @property
    def symbol(self):
        return {"heures": "h", "euros": "€"}.get(self.unit, "")


JOURS, HEURES_JOUR, CAPACITE = "jours", "heures_jour", "capacite"
INSCRITS, HEURES_REALISEES, HEURES_FACTUREES = "inscrits", "heures_realisees", "heures_facturees"

# Every type d'activité opens so many days, so many hours a day.
OPENING = (
    Field("jours_ouverture", "Jours d'ouverture", "Ouverture", True, "jours", JOURS, Decimal(366)),
    Field("heures_ouverture_jour", "Heures d'ouverture par jour", "Ouverture", False, "heures", HEURES_JOUR, Decimal(24)),
)  # fmt: skip

ALSH_ACTIVITY_FIELDS = (
    *OPENING,
    Field("capacite", "Capacité (places)", "Ouverture", True, "places", CAPACITE),
    Field("inscrits_moins_6", "Enfants inscrits de moins de 6 ans", "Enfants inscrits", True, "", INSCRITS),
    Field("inscrits_6_plus", "Enfants inscrits de 6 ans et plus", "Enfants inscrits", True, "", INSCRITS),
    Field("heures_realisees_moins_6", "Heures réalisées moins de 6 ans", "Heures réalisées", False, "heures", HEURES_REALISEES),
    Field("heures_realisees_6_plus", "Heures réalisées 6 ans et plus", "Heures réalisées", False, "heures", HEURES_REALISEES),
    Field("heures_facturees", "Heures facturées", "Heures facturées", False, "heures", HEURES_FACTUREES),
)  # fmt: skip

EAJE_ACTIVITY_FIELDS = (
    *OPENING,
    Field("capacite", "Places agréées", "Ouverture", True, "places", CAPACITE),
    Field("inscrits", "Enfants inscrits", "Enfants inscrits", True, "", INSCRITS),
    Field("heures_realisees", "Heures réalisées", "Heures", False, "heures", HEURES_REALISEES),
    Field("heures_facturees", "Heures facturées", "Heures", False, "heures", HEURES_FACTUREES),
)  # fmt: skip

ACTIVITY_FIELDS = {
    "ALSH": ALSH_ACTIVITY_FIELDS,
    "EAJE": EAJE_ACTIVITY_FIELDS,
}
DEFAULT_ACTIVITY_FIELDS = ALSH_ACTIVITY_FIELDS

# Euros, per line of the compte de résultat: a crèche of 60 places spends about 1 000 000 € a year.
AMOUNT_CEILINGS = {
    "ALSH": Decimal(5_000_000),
    "EAJE": Decimal(10_000_000),
}
DEFAULT_AMOUNT_CEILING = Decimal(5_000_000)

CHARGES = "Charges"
PRODUITS = "Produits"

FINANCIAL_FIELDS = (
    Field("c60", "60 — Achats", CHARGES, unit="euros"),
    Field("c61_62", "61-62 — Services extérieurs", CHARGES, unit="euros"),
    Field("c63", "63 — Impôts et taxes", CHARGES, unit="euros"),
    Field("c64", "64 — Charges de personnel", CHARGES, unit="euros"),
    Field("c65_68", "65 à 68 — Autres charges", CHARGES, unit="euros"),
    Field("c86", "86 — Contributions volontaires en nature", CHARGES, unit="euros"),
    Field("p70", "70 — Participations des familles", PRODUITS, unit="euros"),
    Field("p74_caf", "74 — Subvention Caf (prestation de service)", PRODUITS, unit="euros"),
    Field("p74_commune", "74 — Subvention de la commune", PRODUITS, unit="euros"),
    Field("p74_autres", "74 — Autres subventions", PRODUITS, unit="euros"),
    Field("p75_78", "75 à 78 — Autres produits", PRODUITS, unit="euros"),
    Field("p87", "87 — Contributions volontaires en nature", PRODUITS, unit="euros"),
)
# The key figures of a declaration (checks.declaration_figures), as its page and its receipt show them:
# key, label, decimals, unit.
KEY_FIGURES = (
    ("total_charges", "Total des charges", 2, "\u00a0€"),
    ("total_produits", "Total des produits", 2, "\u00a0€"),
    ("resultat", "Résultat (produits − charges)", 2, "\u00a0€"),
    ("heures_realisees", "Heures réalisées (toutes les données d'activité)", 2, "\u00a0h"),
    ("prix_revient_horaire", "Prix de revient horaire (total des charges ÷ heures réalisées)", 2, "\u00a0€"),
)
CHARGE_CODES = tuple(f.code for f in FINANCIAL_FIELDS if f.group == CHARGES)
PRODUIT_CODES = tuple(f.code for f in FINANCIAL_FIELDS if f.group == PRODUITS)


def activity_fields(activity_type_code):
    return ACTIVITY_FIELDS.get(activity_type_code, DEFAULT_ACTIVITY_FIELDS)


def amount_ceiling(activity_type_code):
    return AMOUNT_CEILINGS.get(activity_type_code, DEFAULT_AMOUNT_CEILING)


def codes(fields, measure):
    return tuple(field.code for field in fields if field.measure == measure)
