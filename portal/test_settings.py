"""Settings for the test suite: the real settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL", "false")
os.environ.setdefault("EMAIL_URL", "smtp://localhost:25")

from .settings import *  # noqa: E402,F403
from .settings import INSTALLED_APPS, TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """Makes a template fail loudly on an unknown variable in our own templates."""

    def __mod__(self, other):
        from django.template.base import TemplateSyntaxError

        raise TemplateSyntaxError(f"Variable inconnue dans un gabarit : {other!r}")


# The tests load the demo and the volume data.
if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Mails are sent at once in tests (django.core.mail.outbox); tests of the queue switch to the database.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The tests run in one process, whose LocMemCache every request shares: the signed-in user's row is cached
# as with Redis in production (accounts/user_cache.py), so that every test sees that a change reaches the
# very next request.
USER_CACHE = True
# Likewise the fragments kept under the tokens of the data they show (core/fragments.py).
FRAGMENT_CACHE = True
