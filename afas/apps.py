from django.apps import AppConfig


class AfasConfig(AppConfig):
    name = "afas"
    verbose_name = "Aides financières d'action sociale"

    def ready(self):
        from . import journal, partner_data

        journal.connect()
        partner_data.connect()
