"""What the demo and the volume data share: the password of every account they create, the TOTP key of
those who need a second factor, and SIRETs whose key is right (conventions.validators.validate_siret)."""

from base64 import b32decode

DEMO_PASSWORD = "Portail-Demo-2026!"
# The TOTP key (base32, as an authenticator app takes it) of every demo account that must have a second
# factor (partner administrators, Caf agents): `manage.py demo_totp` prints the code of the moment.
DEMO_TOTP_SECRET = "PORTAILPARTENAIREDEMOTOTPCAFLOIR"


def luhn_siret(prefix):
    """Completes a 13-digit prefix with its Luhn key (a valid SIRET)."""
    total = 0
    for position, digit in enumerate(reversed(prefix)):
        n = int(digit) * (1 if position % 2 else 2)
        total += n - 9 if n > 9 else n
    return f"{prefix}{(10 - total % 10) % 10}"


def demo_totp_key():
    """DEMO_TOTP_SECRET as django-otp stores a key (hex)."""
    return b32decode(DEMO_TOTP_SECRET).hex()


def bench_partner(code, name, siret_prefix):
    """A Caf of its own and its one partner (a Commune), as the import benchmarks build their data."""
    from conventions.models import Caf, Organisme, PartnerType

    caf = Caf.objects.create(code=code, nom=f"Caf du banc {name}")
    organisme = Organisme.objects.create(
        raison_sociale=f"Banc {name}",
        siret=luhn_siret(siret_prefix),
        type=PartnerType.objects.get_or_create(libelle="Commune")[0],
        caf=caf,
        adresse="1 place du Banc",
    )
    return caf, organisme
