from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self):
        from django.core.signals import request_finished

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .log_context import forget_request

        request_finished.connect(forget_request, dispatch_uid="portal.log_context.forget_request")
