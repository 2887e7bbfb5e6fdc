from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions et organismes partenaires"

    def ready(self):
        from accounts.signals import account_closed

        from .services import end_memberships_on_close

        account_closed.connect(end_memberships_on_close, dispatch_uid="conventions_end_memberships_on_close")
