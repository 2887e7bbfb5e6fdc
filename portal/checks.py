from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    """Outside DEBUG the mails need the public address: the request only knows the proxy's."""
    if settings.SITE_URL or settings.DEBUG:
        return []
    return [
        Warning(
            "SITE_URL n'est pas défini : les liens des mails seraient construits depuis l'adresse de la requête.",
            hint="SITE_URL=https://portail.example.fr (l'adresse publique du portail).",
            id="portal.W001",
        )
    ]
