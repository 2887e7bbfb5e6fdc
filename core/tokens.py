"""Generation tokens in the shared cache: what is kept under a key's current token is read as long as the
token lives, and dropping the token makes all of it unreachable at once (issue 12).

`drop_tokens` drops them at once and again when the transaction commits: a request that read the data
before the change commits stores what it drew under the token just dropped, or under one it drew before the
commit, which nobody reads any more; so nothing kept outlives a change. Used per scope of data by
core/fragments.py and per user by accounts/user_cache.py."""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction


def current_tokens(keys, seconds):
    """The current token under each key, drawn (for `seconds`) for those that have none; None if the cache
    is unreachable."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid4().hex, seconds)
        found.update(cache.get_many(missing))
        if any(key not in found for key in missing):
            return None
    return [found[key] for key in keys]


def drop_tokens(keys):
    """What is kept under these keys' tokens may have changed: never read again once the change commits."""
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
