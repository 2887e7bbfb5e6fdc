"""The signed-in user's row, read from the shared cache rather than the database on every request (issue 12).

Every page of a signed-in user loads their row (AuthenticationMiddleware → the backend's get_user): one
query each time. With a cache shared by every web process (Redis: settings.USER_CACHE), the row is kept
under a generation token of the user (core/tokens.py); `forget_users` drops the token whenever the row
may have changed (any save or delete of the user: password, closing, opening, mail, name;
`rights_changed`, whose UPDATE sends no signal), at once and again when the transaction commits. The next
request draws a new token and reads the row afresh, so a cached row never outlives a change: a request
that read the row before the commit stores it under the old token, which nobody reads any more. Django
still checks the session's password hash against the row, and the backend still refuses a closed or
inactive account.

Without a shared cache (one LocMemCache per process), a change made in one process could not reach the
others: the row is then read from the database as before."""

from django.conf import settings
from django.core.cache import cache

from core.tokens import current_tokens, drop_tokens

# A row is re-read at least this often even if nothing dropped it (a change made by raw SQL, say).
USER_CACHE_SECONDS = 5 * 60


def _token_key(pk):
    return f"user-token:{pk}"


def cached_user(pk, load):
    """The user `pk`: from the cache under their current token, else `load(pk)` (None when there is no
    such user) stored there."""
    if not getattr(settings, "USER_CACHE", False):
        return load(pk)
    tokens = current_tokens([_token_key(pk)], settings.SESSION_COOKIE_AGE)
    if tokens is None:  # the cache is unreachable: the database, as without one
        return load(pk)
    key = f"user:{pk}:{tokens[0]}"
    user = cache.get(key)
    if user is None:
        user = load(pk)
        if user is not None:
            cache.set(key, user, USER_CACHE_SECONDS)
    return user


def forget_users(pks):
    """These users' rows may have changed: their next request reads them from the database."""
    if getattr(settings, "USER_CACHE", False):
        drop_tokens([_token_key(pk) for pk in pks])


def user_saved(sender, instance, **kwargs):
    forget_users([instance.pk])
