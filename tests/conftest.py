import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_and_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (locmem): the mail rate limits count from zero."""
    cache.clear()
    yield
    cache.clear()
