"""Settings that let several identical web processes (on several machines) share one state.

Nothing a second process would miss may live in one process's memory or on its disk: sessions go to the
database (or Redis through the cache when REDIS_URL is set), the lockout counters of django-axes are rows
of the database (AccessAttempt), mails are rows of the task queue that a worker sends."""

AXES_DATABASE_HANDLER = "accounts.lockout.LockoutHandler"  # axes' database handler, plus a per-address limit
DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"


def shared_state_settings(redis_url):
    """CACHES and SESSION_ENGINE for a REDIS_URL ("" when there is no Redis).

    The lockout counters stay in the database in both cases: the same rows for every process, durable
    across a Redis restart, and visible in the back-office where a Caf agent lifts a lockout."""
    if redis_url:
        return {
            "CACHES": {
                "default": {
                    # django-redis rather than Django's RedisCache: with Redis unreachable a cache read is a
                    # miss and a write is skipped (IGNORE_EXCEPTIONS), never a 500; cached_db sessions are
                    # then read from the database.
                    "BACKEND": "django_redis.cache.RedisCache",
                    "LOCATION": redis_url,
                    "KEY_PREFIX": "portail",
                    "OPTIONS": {
                        "IGNORE_EXCEPTIONS": True,
                        # A stopped or hung Redis costs a page at most this long, not the default minutes.
                        "SOCKET_CONNECT_TIMEOUT": 0.5,
                        "SOCKET_TIMEOUT": 0.5,
                    },
                }
            },
            # Read from Redis, written through to the database: a Redis restart signs nobody out.
            "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
            "AXES_HANDLER": AXES_DATABASE_HANDLER,
            # The signed-in user's row kept in Redis between requests (accounts/user_cache.py).
            "USER_CACHE": True,
            # The large partner's long lists kept drawn in Redis (core/fragments.py).
            "FRAGMENT_CACHE": True,
        }
    return {
        # Only for what may differ between processes without harm: the mail rate limits (core/rate_limit.py)
        # are then counted by each process on its own.
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "AXES_HANDLER": AXES_DATABASE_HANDLER,
        # One LocMemCache per process could not follow a change made in another: the row from the database.
        "USER_CACHE": False,
        "FRAGMENT_CACHE": False,
    }


def task_backend(debug, override=""):
    """Mails leave through the database queue sent by `manage.py db_worker`; in DEBUG (make run) they are
    sent at once so they appear in the console without a worker."""
    if override:
        return override
    if debug:
        return "django_tasks.backends.immediate.ImmediateBackend"
    return DATABASE_TASK_BACKEND
