from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions et organismes partenaires"

    def ready(self):
        from accounts.signals import account_closed, closing_refused, second_factor_required

        from . import services

        closing_refused.connect(services.refuse_closing_an_administrator, dispatch_uid="conventions_admin")
        account_closed.connect(services.end_memberships_of_closed_account, dispatch_uid="conventions_end")
        second_factor_required.connect(services.requires_second_factor, dispatch_uid="conventions_2fa")
