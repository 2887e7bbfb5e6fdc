from django.apps import AppConfig


class AfasConfig(AppConfig):
    name = "afas"
    verbose_name = "Aides financières d'action sociale"

    def ready(self):
        from accounts.signals import second_factor_locked, second_factor_reset

        from . import journal
        from .habilitations import services

        journal.connect()
        second_factor_reset.connect(services.record_second_factor_reset, dispatch_uid="afas_2fa_reset")
        second_factor_locked.connect(services.record_second_factor_locked, dispatch_uid="afas_2fa_locked")
