from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo and volume data (`load_demo`, `generate_volume`), above every app: installed in DEBUG, with
    DEVTOOLS=true, in the tests and in the benchmark's settings; never in a production image's defaults."""

    name = "devtools"
    verbose_name = "Outils de développement"
