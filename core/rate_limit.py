"""How often something may be done, counted in Django's cache: Redis in production (one count for every
web process), the process's memory without REDIS_URL and in tests."""

import hashlib

from django.core.cache import cache


def within_limit(scope, key, limit, window):
    """Counts one more use of `key` (an identifiant, an address) in `scope`; False once more than `limit`
    were counted in the current window of `window` seconds (a fixed window, started by the first use).

    The key is stored as a digest: no identifiant or address in the cache. An unreachable cache (django-redis
    with IGNORE_EXCEPTIONS answers None) allows the use: a Redis outage does not stop the portal."""
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    cache_key = f"rate:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count is None or count <= limit
