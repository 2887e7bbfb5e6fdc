"""The signed-in user's habilitations in force, which every declarant page reads (rule 11): kept in the
shared cache (issue 12) under a token of the user's habilitations (core/tokens.py), dropped by every save
or delete of one of them (afas/apps.py), and under the day, since an habilitation starts and ends at
midnight. The user's own conditions (open account, currently in AFAS-DECLARER) are read each time from
their row and cached rights, as Habilitation.objects.in_force_for reads them: nothing kept outlives a
change. Without a shared cache (settings.FRAGMENT_CACHE off) they are read each time."""

from django.core.cache import cache
from django.utils import timezone

from afas.models import Habilitation
from conventions.rights import get_rights
from core import fragments
from core.tokens import current_tokens, drop_tokens

# Read again at least this often even if nothing dropped the token (a change made by raw SQL).
SECONDS = 60 * 60


def _token_key(user_id):
    return f"habilitations-token:{user_id}"


def _read(user):
    # No ordering: the model's joins the activités and lieux to sort by their names.
    return list(
        Habilitation.objects.in_force_for(user).order_by().values_list("role", "activite_id", "lieu_id")
    )


def habilitations_in_force(user):
    """[(rôle, activité id, lieu id or None)] of the user's habilitations in force today."""
    if not fragments.enabled():
        return _read(user)
    today = timezone.localdate()
    if not (user.is_in_force(today) and get_rights(user).is_declarant):
        return []
    tokens = current_tokens([_token_key(user.pk)], fragments.TOKEN_SECONDS)
    if tokens is None:  # the cache is unreachable: read, as without one
        return _read(user)
    key = f"habilitations-in-force:{user.pk}:{tokens[0]}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = _read(user)
        cache.set(key, found, SECONDS)
    return found


def habilitation_changed(sender, instance, **kwargs):
    if fragments.enabled():
        drop_tokens([_token_key(instance.user_id)])
