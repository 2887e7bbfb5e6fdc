"""With Redis unreachable the cache misses and skips writes, and signing in still works (the cached_db
sessions are read from and written to the database)."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from portal.deployment import shared_state_settings
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

DEAD_REDIS = "redis://127.0.0.1:9/0"  # discard port: nothing listens there


@pytest.fixture
def redis_down(settings):
    shared = shared_state_settings(DEAD_REDIS)
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = shared["CACHES"]
    settings.SESSION_ENGINE = shared["SESSION_ENGINE"]
    yield
    caches["default"].close()


def test_cache_calls_do_not_raise_when_redis_is_unreachable(redis_down):
    cache = caches["default"]
    cache.set("clé", "valeur")
    assert cache.get("clé", "défaut") == "défaut"
    assert cache.get_many(["clé"]) == {}
    cache.delete("clé")


@pytest.mark.django_db
def test_sign_in_and_pages_work_when_redis_is_unreachable(client, redis_down):
    assert shared_state_settings(DEAD_REDIS)["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    UserFactory(identifiant="123456789", declarant=True)
    response = client.post(reverse("accounts:login"), {"username": "123456789", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:welcome")).status_code == 200
