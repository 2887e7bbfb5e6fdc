"""The daily job of « Revue des habilitations » (rule 21): the campaigns whose date limite is past have
their unreviewed lines kept and flagged to the Caf, or ended. Idempotent: a campaign is handled once."""

from django.core.management.base import BaseCommand

from afas.reviews.services import handle_due_reviews


class Command(BaseCommand):
    help = "Traite les lignes non revues des revues des habilitations dont la date limite est passée."

    def handle(self, *args, **options):
        handled = handle_due_reviews()
        for review, count in handled.items():
            self.stdout.write(f"{review} : {count} ligne(s) non revue(s) traitée(s).")
