"""The daily mails of the declarations (afas/declarations/reminders.py): campaigns that open today, reminders
15 and 3 days before the date limite. Idempotent: run twice, it sends nothing twice."""

from django.core.management.base import BaseCommand

from afas.declarations.reminders import send_campaign_openings, send_reminders


class Command(BaseCommand):
    help = (
        "Envoie les mails d'ouverture de campagne et les rappels 15 et 3 jours avant la date limite des "
        "déclarations non transmises (une seule fois chacun)."
    )

    def handle(self, *args, **options):
        openings = send_campaign_openings()
        reminders = send_reminders()
        if options["verbosity"]:
            self.stdout.write(f"{openings} mail(s) d'ouverture de campagne, {reminders} rappel(s) envoyé(s).")
