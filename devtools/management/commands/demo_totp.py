import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from devtools.builders import demo_totp_key


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment des comptes de démonstration (clé DEMO_TOTP_SECRET)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(demo_totp_key()))
        totp.time = time.time()
        remaining = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"(valable encore {remaining} s, et les 30 s suivantes)")
