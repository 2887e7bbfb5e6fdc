from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from afas.declarations import rollup
from devtools.builders import DEMO_PASSWORD, DEMO_TOTP_SECRET
from devtools.demo import accounts as accounts_demo
from devtools.demo import afas as afas_demo
from devtools.demo import conventions as conventions_demo

# Each app's part, in this order; each part is idempotent on its own.
PARTS = [conventions_demo, accounts_demo, afas_demo]


class Command(BaseCommand):
    help = "Crée les données de démonstration (idempotent). Refuse de tourner hors DEBUG sans --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Accepte de tourner avec DEBUG désactivé.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG est désactivé : données de démonstration refusées (utilisez --force).")
        with transaction.atomic():
            for part in PARTS:
                part.load(self.stdout)
            rollup.rebuild()  # the demo writes its validated declarations without the services
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {DEMO_PASSWORD}")
        for identifiant, who in accounts_demo.ACCOUNTS:
            self.stdout.write(f"  {identifiant:<12} {who}")
        self.stdout.write(
            "Second facteur des administrateurs MCP et des agents : la clé TOTP de démonstration "
            f"{DEMO_TOTP_SECRET} (à saisir dans une application d'authentification), ou le code du moment "
            "avec « manage.py demo_totp »."
        )
