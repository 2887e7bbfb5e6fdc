import time
from dataclasses import fields
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from afas.declarations import rollup
from conventions.models import Caf
from devtools.builders import DEMO_PASSWORD
from devtools.volume import accounts, conventions, declarations, habilitations
from devtools.volume.plan import LOGINS, Plan, Progress

# Each step reads the ids the previous ones recorded.
STEPS = [
    conventions.generate_cafs_and_organismes,
    accounts.generate_users,
    conventions.generate_conventions_and_administrators,
    conventions.generate_memberships,
    habilitations.generate_activites_and_lieux,
    habilitations.generate_habilitations,
    declarations.generate_declarations,
]


class Command(BaseCommand):
    help = (
        "Remplit la base avec un jeu de données à l'échelle nationale (101 Caf, 30 000 organismes, "
        "150 000 utilisateurs, 600 000 habilitations…) pour le banc de charge. Sur une base vide de ces données."
    )

    def add_arguments(self, parser):
        defaults = Plan()
        for field in fields(Plan):
            parser.add_argument(
                f"--{field.name.replace('_', '-')}",
                type=int,
                default=None,
                help=f"nombre de {field.name.replace('_', ' ')} (défaut : {getattr(defaults, field.name)})",
            )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiplie tous les nombres par défaut (ex. 0.01 pour un essai)",
        )

    def handle(self, *args, scale=1.0, **options):
        plan = Plan().scaled(scale) if scale != 1.0 else Plan()
        for field in fields(Plan):
            if options.get(field.name) is not None:
                setattr(plan, field.name, options[field.name])
        if plan.organismes < 10 or plan.users < 2 * plan.organismes or plan.activites < plan.organismes:
            raise CommandError(
                "Il faut au moins 10 organismes, deux utilisateurs et une activité par organisme."
            )
        if Caf.objects.filter(code="D01").exists():
            raise CommandError("Cette base contient déjà un jeu de volume : utilisez une base neuve.")
        progress = Progress(self.stderr._out)
        started = time.monotonic()
        LOGINS.clear()
        data = SimpleNamespace()
        with transaction.atomic():
            for step in STEPS:
                step(plan, data, progress)
            progress.start("statistiques (groupes Caf × type × exercice)", 0)
            progress.advance(rollup.rebuild())  # the declarations above were written in bulk
            progress.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Jeu de volume créé en {elapsed:.0f} s."))
        self.stdout.write(f"Mot de passe de tous les comptes générés : {DEMO_PASSWORD}")
        for identifiant, who in LOGINS:
            self.stdout.write(f"  {identifiant:<12} {who}")
