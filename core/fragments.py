"""HTML drawn once and kept in the shared cache under a token of each piece of data it shows (issue 12).

The large partner's pages draw the same long lists at every request (1,000 users, 200 activités, their
lieux): the HTML is kept under a generation token (core/tokens.py) of each scope it shows (a partner:
`"partner:<id>"`) and the rest of what it depends on (the day, the rights). `forget_data` drops the
tokens whenever that data may have changed (the receivers that call it: conventions/apps.py and
afas/apps.py), at once and again when the transaction commits: the next request draws new tokens and
draws the HTML afresh. A request that read the data before the commit stores its HTML under a token that
nobody reads any more, so a kept fragment never outlives a change.

Only with a cache shared by every web process (Redis: settings.FRAGMENT_CACHE); with one LocMemCache per
process a change made in one process could not reach the others, and the HTML is drawn each time."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.tokens import current_tokens, drop_tokens

# A fragment is drawn again at least this often even if nothing dropped it (a change made by raw SQL).
FRAGMENT_SECONDS = 60 * 60
TOKEN_SECONDS = 24 * 60 * 60


def enabled():
    return getattr(settings, "FRAGMENT_CACHE", False)


def _token_key(scope):
    return f"data-token:{scope}"


def cached_fragment(name, scopes, parts, draw):
    """The HTML `draw()` returns, kept under `name`, the tokens of `scopes` and the other `parts` it
    depends on (each turned into text)."""
    if not enabled():
        return draw()
    scopes = sorted(scopes)
    tokens = current_tokens([_token_key(scope) for scope in scopes], TOKEN_SECONDS)
    if tokens is None:  # the cache is unreachable: drawn, as without one
        return draw()
    digest = hashlib.sha256(repr((scopes, tokens, [str(part) for part in parts])).encode()).hexdigest()
    key = f"fragment:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = draw()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html


def forget_data(scopes):
    """The data of these scopes may have changed: their fragments are drawn afresh at the next request."""
    if enabled():
        drop_tokens([_token_key(scope) for scope in set(scopes)])


# The reference lists shown beside the partner's data (types and natures d'activité).
REFERENCE_SCOPE = "reference"


def partner_scope(organisme_id):
    return f"partner:{organisme_id}"
