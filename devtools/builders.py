"""What the demo and the volume data share: the password of every account they create, and SIRETs whose
key is right (conventions.validators.validate_siret)."""

DEMO_PASSWORD = "Portail-Demo-2026!"


def luhn_siret(prefix):
    """Completes a 13-digit prefix with its Luhn key (a valid SIRET)."""
    total = 0
    for position, digit in enumerate(reversed(prefix)):
        n = int(digit) * (1 if position % 2 else 2)
        total += n - 9 if n > 9 else n
    return f"{prefix}{(10 - total % 10) % 10}"
