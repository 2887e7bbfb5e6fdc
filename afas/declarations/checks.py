"""Checks and computed figures of a declaration.

What is typed is read the French way (`parse`) and stored normalised (`normalise`): a value that reads as a
figure is kept as the text of its Decimal (« 1 234,50 » → "1234.50"), with at most the decimals of its field;
what does not read is kept as typed among the part's `rejected` entries, so that a draft loses nothing, and
blocks « Marquer comme complet » with its message. Blocking errors prevent completion; alerts let the part
through once justified in writing. Totals, résultat, prix de revient horaire, taux d'occupation are always
computed here, never typed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .fields import (
    CAPACITE,
    CHARGE_CODES,
    DEFAULT_ACTIVITY_FIELDS,
    DEFAULT_AMOUNT_CEILING,
    FINANCIAL_FIELDS,
    HEURES_FACTUREES,
    HEURES_JOUR,
    HEURES_REALISEES,
    INSCRITS,
    JOURS,
    PRODUIT_CODES,
    codes,
)

ALERT_THRESHOLD = Decimal("0.20")  # heures réalisées, prix de revient horaire: ±20 %
CHARGES_THRESHOLD = Decimal("0.50")  # total des charges: ±50 %
INSCRITS_FACTOR = Decimal(2)  # enfants inscrits: doubled or halved
JUSTIFICATION_MAX_LENGTH = 1000
MAX_INTEGER_DIGITS = 12  # a thousand billion: no figure of a declaration comes near

REQUIRED = "Ce champ est obligatoire pour marquer la partie comme complète."
NOT_A_NUMBER = "Saisissez un nombre en chiffres, par exemple 1 234,50."
DOT_DECIMAL = (
    "Le séparateur décimal est la virgule : saisissez {french} et non {typed}. "
    "Les milliers peuvent être séparés par une espace (1 234,50)."
)
NOT_AN_INTEGER = "Saisissez un nombre entier."
TOO_MANY_DECIMALS = "Saisissez au plus 2 chiffres après la virgule."
TOO_LARGE = "Ce nombre est bien trop grand : vérifiez votre saisie."
NEGATIVE = "Le nombre ne peut pas être négatif."
ABOVE_MAXIMUM = "{label} ne peut pas dépasser {maximum}."
ABOVE_CEILING = (
    "Ce montant dépasse {ceiling} €, le plafond d'une ligne du compte de résultat pour ce type d'activité : "
    "vérifiez votre saisie."
)
JUSTIFICATION_TOO_LONG = (
    "La justification ne peut pas dépasser {maximum} caractères (vous en avez saisi {length}) : résumez-la."
)

SPACES = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
FRENCH_NUMBER = re.compile(f"-?(?:[0-9]{{1,3}}(?:{SPACES}[0-9]{{3}})+|[0-9]+)(?:,[0-9]+)?")
DOTTED_NUMBER = re.compile(r"-?[0-9]+\.[0-9]+")


@dataclass(frozen=True)
class Alert:
    code: str
    message: str


def parse(raw, field=None):
    """A typed value as a Decimal, or None if empty; raises ValueError with the message for the field.

    Only ASCII digits, the comma as decimal separator and spaces between thousands: « 1e3 », full-width
    digits or « 12.5 » are refused rather than guessed."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if FRENCH_NUMBER.fullmatch(text):
        number = Decimal(re.sub(SPACES, "", text).replace(",", "."))
    elif DOTTED_NUMBER.fullmatch(text):
        raise ValueError(DOT_DECIMAL.format(french=text.replace(".", ","), typed=text))
    else:
        raise ValueError(NOT_A_NUMBER)
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueError(TOO_LARGE)
    if field is not None:
        if field.places == 0 and number != number.to_integral_value():
            raise ValueError(NOT_AN_INTEGER)
        if number.as_tuple().exponent < -field.places and number != number.quantize(
            Decimal(1).scaleb(-field.places)
        ):
            raise ValueError(TOO_MANY_DECIMALS)
    return number


def canonical(number, field):
    """The stored text of a figure: plain digits and a dot, exactly the decimals allowed for its field."""
    if field.places == 0:
        return str(number.quantize(Decimal(1)))
    places = min(max(-number.as_tuple().exponent, 0), field.places)
    return f"{number:.{places}f}"


def normalise(fields, typed):
    """(values, rejected) of what was typed: figures stored normalised, the rest kept as typed."""
    values, rejected = {}, {}
    for field in fields:
        text = str(typed.get(field.code, "") or "").strip()
        try:
            number = parse(text, field)
        except ValueError:
            rejected[field.code] = text
            continue
        if number is not None:
            values[field.code] = canonical(number, field)
    return values, rejected


def number(value):
    """A stored figure as a Decimal; None when empty."""
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def numbers(values, codes):
    """The stored figures of `codes`; a missing one is None."""
    return {code: number(values.get(code)) for code in codes}


def total(values, codes):
    parsed = numbers(values, codes)
    if not parsed or any(v is None for v in parsed.values()):
        return None
    return sum(parsed.values(), Decimal(0))


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def field_errors(fields, values, rejected=None, ceiling=None):
    """Blocking errors of each field on its own: readable, required, not negative, within its bounds."""
    rejected = rejected or {}
    errors = {}
    for field in fields:
        if field.code in rejected:
            try:
                parse(rejected[field.code], field)
                message = NOT_A_NUMBER  # stored as rejected by an older rule: typed again, it will read
            except ValueError as error:
                message = str(error)
            errors[field.code] = [message]
            continue
        value = number(values.get(field.code))
        if value is None:
            errors[field.code] = [REQUIRED]
        elif value < 0:
            errors[field.code] = [NEGATIVE]
        elif field.integer and value != value.to_integral_value():
            errors[field.code] = [NOT_AN_INTEGER]
        elif field.maximum is not None and value > field.maximum:
            errors[field.code] = [
                ABOVE_MAXIMUM.format(label=field.label, maximum=format_value(field.maximum, field))
            ]
        elif ceiling is not None and value > ceiling:
            errors[field.code] = [ABOVE_CEILING.format(ceiling=format_number(ceiling, 0))]
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


def activity_errors(fields, values, rejected=None):
    errors = field_errors(fields, values, rejected)
    figures = activity_figures(values, fields)
    heures, capacite = figures["heures_realisees"], figures["capacite_theorique"]
    # Compared only on valid inputs: a negative capacité already has its own message.
    if heures is not None and capacite is not None and capacite >= 0 and heures > capacite:
        errors.setdefault(codes(fields, HEURES_REALISEES)[-1], []).append(
            f"Les heures réalisées ({format_number(heures)}\u00a0h) dépassent la capacité théorique "
            f"(capacité × jours × heures d'ouverture = {format_number(capacite)}\u00a0h)."
        )
    return errors


def financial_figures(values):
    charges, produits = total(values, CHARGE_CODES), total(values, PRODUIT_CODES)
    return {
        "total_charges": charges,
        "total_produits": produits,
        "resultat": produits - charges if None not in (charges, produits) else None,
    }


def financial_errors(values, rejected=None, ceiling=DEFAULT_AMOUNT_CEILING):
    errors = field_errors(FINANCIAL_FIELDS, values, rejected, ceiling)
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


def varies(current, previous, threshold=ALERT_THRESHOLD):
    return bool(current is not None and previous) and abs(current - previous) / previous > threshold


def variation_alert(code, label, current, previous, unit="", threshold=ALERT_THRESHOLD):
    if not varies(current, previous, threshold):
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


def inscrits_alert(current, previous):
    """Twice as many children, or half as many: a change of scale the Caf wants explained."""
    if current is None or not previous:
        return []
    if previous / INSCRITS_FACTOR < current < previous * INSCRITS_FACTOR:
        return []
    way = "a au moins doublé" if current > previous else "a au moins diminué de moitié"
    return [
        Alert(
            "inscrits",
            f"Le nombre d'enfants inscrits {way} par rapport à la déclaration précédente "
            f"({format_number(current, 0)} contre {format_number(previous, 0)}). "
            "Justifiez cet écart pour pouvoir marquer la partie comme complète.",
        )
    ]


def activity_alerts(values, previous_values, fields=DEFAULT_ACTIVITY_FIELDS):
    if previous_values is None:
        return []
    figures, previous = activity_figures(values, fields), activity_figures(previous_values, fields)
    return variation_alert(
        "heures_realisees",
        "Le nombre d'heures réalisées",
        figures["heures_realisees"],
        previous["heures_realisees"],
        " h",
    ) + inscrits_alert(figures["inscrits"], previous["inscrits"])


def financial_alerts(figures, previous_figures):
    if previous_figures is None:
        return []
    return variation_alert(
        "prix_revient_horaire",
        "Le prix de revient horaire",
        figures["prix_revient_horaire"],
        previous_figures["prix_revient_horaire"],
        " €",
    ) + variation_alert(
        "total_charges",
        "Le total des charges",
        figures["total_charges"],
        previous_figures["total_charges"],
        " €",
        CHARGES_THRESHOLD,
    )


def unjustified(alerts, justifications):
    return [alert for alert in alerts if not str(justifications.get(alert.code, "")).strip()]


def justification_errors(alerts, justifications):
    """{alert code: message} of the justifications too long to be read by the Caf."""
    errors = {}
    for alert in alerts:
        length = len(str(justifications.get(alert.code, "")).strip())
        if length > JUSTIFICATION_MAX_LENGTH:
            errors[alert.code] = JUSTIFICATION_TOO_LONG.format(
                maximum=format_number(JUSTIFICATION_MAX_LENGTH, 0), length=format_number(length, 0)
            )
    return errors


def format_number(number, places=2, signed=False):
    """French display: 1 234,50 (narrow no-break space between thousands)."""
    if number is None:
        return ""
    quantized = (
        Decimal(number).quantize(Decimal(1).scaleb(-places)) if places else Decimal(number).quantize(1)
    )
    text = f"{quantized:{'+' if signed else ''},.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_value(value, field):
    """A stored figure as the Caf reads it: « 19 284,00 h », « 84 062,00 € », « 150 »; as stored if unreadable."""
    figure = number(value)
    if figure is None:
        return str(value or "")
    text = format_number(figure, field.places)
    return f"{text}\u00a0{field.symbol}" if field.symbol else text


def typed_text(value):
    """A stored figure as the French form shows it to be typed again: "1234.5" → « 1 234,5 »."""
    figure = number(value)
    if figure is None:
        return str(value or "")
    places = max(-figure.as_tuple().exponent, 0)
    return format_number(figure, places)


def guide_figures():
    """The bounds and thresholds above as the user guide states them (« 366 », « 20 % », « 5 000 000 € »)."""
    from .fields import AMOUNT_CEILINGS, DEFAULT_ACTIVITY_FIELDS

    maxima = {field.code: field.maximum for field in DEFAULT_ACTIVITY_FIELDS if field.maximum is not None}
    return {
        "jours": format_number(maxima["jours_ouverture"], 0),
        "heures_jour": format_number(maxima["heures_ouverture_jour"], 0),
        "ceilings": [(code, format_number(ceiling, 0)) for code, ceiling in sorted(AMOUNT_CEILINGS.items())],
        "alert": format_number(ALERT_THRESHOLD * 100, 0),
        "charges": format_number(CHARGES_THRESHOLD * 100, 0),
        "justification": format_number(JUSTIFICATION_MAX_LENGTH, 0),
    }
