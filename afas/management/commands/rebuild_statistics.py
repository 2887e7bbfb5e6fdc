from django.core.management.base import BaseCommand

from afas.declarations import rollup


class Command(BaseCommand):
    help = (
        "Recalcule les statistiques (sommes par Caf, type d'activité et exercice, chiffres de chaque activité) "
        "à partir des déclarations « Réel » validées par la Caf."
    )

    def handle(self, *args, **options):
        groups = rollup.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Statistiques recalculées : {groups} groupe(s) Caf × type × exercice.")
        )
