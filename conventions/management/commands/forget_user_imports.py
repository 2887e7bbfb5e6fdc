"""Daily (run by `manage.py cleanup`): the lines read from users' import files are erased once older than
conventions.imports.LINES_KEPT_DAYS; the imports stay. Running it twice erases nothing more."""

from django.core.management.base import BaseCommand

from conventions.imports import LINES_KEPT_DAYS, forget_old_lines


class Command(BaseCommand):
    help = f"Efface les lignes des fichiers d'utilisateurs importés il y a plus de {LINES_KEPT_DAYS} jours."

    def handle(self, *args, **options):
        count = forget_old_lines()
        if options["verbosity"]:
            self.stdout.write(f"{count} import(s) d'utilisateurs : lignes effacées.")
