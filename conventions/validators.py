import re

from django.core.exceptions import ValidationError


def validate_siret(value):
    """14 digits whose Luhn checksum is right (La Poste's SIRETs, 356000000xxxxx, sum to a multiple of 5)."""
    if not (len(value) == 14 and value.isdigit()):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="siret_format")
    if value.startswith("356000000"):
        if sum(int(d) for d in value) % 5:
            raise ValidationError("Ce numéro SIRET n'est pas valide (clé de contrôle).", code="siret_key")
        return
    total = 0
    for position, digit in enumerate(reversed(value)):
        n = int(digit) * (2 if position % 2 else 1)
        total += n - 9 if n > 9 else n
    if total % 10:
        raise ValidationError("Ce numéro SIRET n'est pas valide (clé de contrôle).", code="siret_key")


def normalize_phone(value):
    """A French phone number written as the deck shows it: « 01 23 45 67 89 ».

    Accepts spaces, dots or dashes between digits and the +33 / 0033 prefix."""
    digits = re.sub(r"[\s.\-]", "", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValidationError(
            "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 01 23 45 67 89.",
            code="phone_format",
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
