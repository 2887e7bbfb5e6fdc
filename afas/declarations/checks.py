"""Checks and computed figures of a declaration, from the values as typed.

Blocking errors prevent « Marquer comme complet »; alerts let the part through once justified in writing.
Totals, résultat, prix de revient horaire, taux d'occupation are always computed here, never typed.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .fields import (
    CAPACITE,
    CHARGE_CODES,
    DEFAULT_ACTIVITY_FIELDS,
    FINANCIAL_FIELDS,
    HEURES_FACTUREES,
    HEURES_JOUR,
    HEURES_REALISEES,
    INSCRITS,
    JOURS,
    PRODUIT_CODES,
    codes,
)

ALERT_THRESHOLD = Decimal("0.20")
REQUIRED = "Ce champ est obligatoire pour marquer la partie comme complète."
NOT_A_NUMBER = "Saisissez un nombre (par exemple 1234,50)."
NOT_AN_INTEGER = "Saisissez un nombre entier."
NEGATIVE = "Le nombre ne peut pas être négatif."


@dataclass(frozen=True)
class Alert:
    code: str
    message: str


def parse(raw):
    """A typed value as a Decimal, or None if empty; raises ValueError if it is not a number."""
    text = (
        str(raw if raw is not None else "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    )
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise ValueError(NOT_A_NUMBER)
    return number


def numbers(values, codes):
    """The parsed values of `codes`; a missing or invalid value is None."""
    result = {}
    for code in codes:
        try:
            result[code] = parse(values.get(code))
        except ValueError:
            result[code] = None
    return result


def total(values, codes):
    parsed = numbers(values, codes)
    if not parsed or any(v is None for v in parsed.values()):
        return None
    return sum(parsed.values(), Decimal(0))


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def field_errors(fields, values):
    """Blocking errors of each field on its own: required, a number, an integer where needed, not negative."""
    errors = {}
    for field in fields:
        try:
            number = parse(values.get(field.code))
        except ValueError as error:
            errors[field.code] = [str(error)]
            continue
        if number is None:
            errors[field.code] = [REQUIRED]
        elif number < 0:
            errors[field.code] = [NEGATIVE]
        elif field.integer and number != number.to_integral_value():
            errors[field.code] = [NOT_AN_INTEGER]
    return errors


def activity_figures(values, fields=DEFAULT_ACTIVITY_FIELDS):
    capacite, jours, heures_jour = (total(values, codes(fields, m)) for m in (CAPACITE, JOURS, HEURES_JOUR))
    capacite_theorique = None
    if None not in (capacite, jours, heures_jour):
        capacite_theorique = capacite * jours * heures_jour
    return {
        "heures_realisees": total(values, codes(fields, HEURES_REALISEES)),
        "inscrits": total(values, codes(fields, INSCRITS)),
        "capacite_theorique": capacite_theorique,
        "heures_facturees": total(values, codes(fields, HEURES_FACTUREES)),
    }


def activity_errors(fields, values):
    errors = field_errors(fields, values)
    figures = activity_figures(values, fields)
    heures, capacite = figures["heures_realisees"], figures["capacite_theorique"]
    # Compared only on valid inputs: a negative capacité already has its own message.
    if heures is not None and capacite is not None and capacite >= 0 and heures > capacite:
        errors.setdefault(codes(fields, HEURES_REALISEES)[-1], []).append(
            f"Les heures réalisées ({format_number(heures)}) dépassent la capacité théorique "
            f"(capacité × jours × heures d'ouverture = {format_number(capacite)})."
        )
    return errors


def financial_figures(values):
    charges, produits = total(values, CHARGE_CODES), total(values, PRODUIT_CODES)
    return {
        "total_charges": charges,
        "total_produits": produits,
        "resultat": produits - charges if None not in (charges, produits) else None,
    }


def financial_errors(values):
    errors = field_errors(FINANCIAL_FIELDS, values)
    parsed = numbers(values, ("c86", "p87"))
    if None not in parsed.values() and parsed["c86"] != parsed["p87"]:
        errors.setdefault("p87", []).append(
            "Les contributions volontaires en nature doivent figurer pour le même montant "
            "en charges (86) et en produits (87)."
        )
    charges = total(values, CHARGE_CODES)
    if charges is not None and charges <= 0:
        errors.setdefault("c64", []).append("Le total des charges doit être supérieur à zéro.")
    return errors


def declaration_figures(activity_values_list, financial_values, fields=DEFAULT_ACTIVITY_FIELDS):
    """The figures of a whole declaration: the activity totals of all its lieux and the compte de résultat."""
    per_lieu = [activity_figures(values, fields) for values in activity_values_list]

    def summed(key):
        items = [figures[key] for figures in per_lieu]
        if not items or None in items:
            return None
        return sum(items, Decimal(0))

    figures = {
        key: summed(key) for key in ("heures_realisees", "inscrits", "capacite_theorique", "heures_facturees")
    }
    figures.update(financial_figures(financial_values))
    figures["prix_revient_horaire"] = ratio(figures["total_charges"], figures["heures_realisees"])
    figures["taux_occupation"] = ratio(figures["heures_realisees"], figures["capacite_theorique"])
    figures["heures_par_enfant"] = ratio(figures["heures_realisees"], figures["inscrits"])
    return figures


def varies(current, previous):
    return bool(current is not None and previous) and abs(current - previous) / previous > ALERT_THRESHOLD


def variation_alert(code, label, current, previous, unit=""):
    if not varies(current, previous):
        return []
    percent = (current - previous) / previous * 100
    return [
        Alert(
            code,
            f"{label} varie de {format_number(percent, 1, signed=True)} % par rapport à la déclaration "
            f"précédente ({format_number(current, 2)}{unit} contre {format_number(previous, 2)}{unit}). "
            "Justifiez cet écart pour pouvoir marquer la partie comme complète.",
        )
    ]


def activity_alerts(values, previous_values, fields=DEFAULT_ACTIVITY_FIELDS):
    if previous_values is None:
        return []
    return variation_alert(
        "heures_realisees",
        "Le nombre d'heures réalisées",
        activity_figures(values, fields)["heures_realisees"],
        activity_figures(previous_values, fields)["heures_realisees"],
        " h",
    )


def financial_alerts(figures, previous_figures):
    if previous_figures is None:
        return []
    return variation_alert(
        "prix_revient_horaire",
        "Le prix de revient horaire",
        figures["prix_revient_horaire"],
        previous_figures["prix_revient_horaire"],
        " €",
    )


def unjustified(alerts, justifications):
    return [alert for alert in alerts if not str(justifications.get(alert.code, "")).strip()]


def format_number(number, places=2, signed=False):
    """French display: 1 234,50 (narrow no-break space between thousands)."""
    if number is None:
        return ""
    quantized = (
        Decimal(number).quantize(Decimal(1).scaleb(-places)) if places else Decimal(number).quantize(1)
    )
    text = f"{quantized:{'+' if signed else ''},.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")
