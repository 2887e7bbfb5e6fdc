"""What a signed-in user may do, computed once per request from their conventions and groups."""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from accounts.user_cache import forget_users
from core.admin_scoping import is_caf_agent

from .models import Convention, ConventionAdministrator, HabilitationGroup, Membership


@dataclass(frozen=True)
class Rights:
    is_partner_admin: bool = False
    groups: frozenset = field(default_factory=frozenset)
    is_caf_agent: bool = False
    # (organisme id, its Caf's id) of each partner the user administers today (rule 14): the scope that the
    # pages reading it need not compute again (« Revue des habilitations » on the welcome page).
    partners: frozenset = field(default_factory=frozenset)
    # (convention id, organisme id, administrable) of each convention naming the user as a current MCP
    # administrator today, whatever its state (Convention.objects.naming): the conventions list and the
    # pages of one convention read them here instead of joining the seats again.
    conventions: frozenset = field(default_factory=frozenset)

    @property
    def organisme_ids(self):
        return {organisme for organisme, _caf in self.partners}

    @property
    def named_convention_ids(self):
        return {convention for convention, _organisme, _administrable in self.conventions}

    @property
    def administered_convention_ids(self):
        """Rule 14: the conventions naming the user that are open and not « Dénoncée »."""
        return {convention for convention, _organisme, administrable in self.conventions if administrable}

    @property
    def named_organisme_ids(self):
        return {organisme for _convention, organisme, _administrable in self.conventions}

    @property
    def caf_ids(self):
        return {caf for _organisme, caf in self.partners}

    @property
    def is_habiliter(self):
        return HabilitationGroup.HABILITER in self.groups

    @property
    def is_declarant(self):
        return HabilitationGroup.DECLARER in self.groups

    @property
    def can_manage_habilitations(self):
        """Rule 2: a partner administrator who is also in AFAS-HABILITER."""
        return self.is_partner_admin and self.is_habiliter

    @property
    def works_in_afas(self):
        """Whoever works in AFAS: a declarant, or an administrator of the habilitations."""
        return self.is_declarant or self.can_manage_habilitations


# Long enough to serve a working day's pages, short enough to leave no clutter: the key changes anyway with
# the day and with the user's rights_version.
RIGHTS_CACHE_SECONDS = 8 * 60 * 60


def get_rights(user):
    """The user's rights today. Memberships and the conventions naming the user (2 queries) are cached
    under the user's rights_version, which `rights_changed` bumps in the same transaction as any change to
    them, and under the day (a membership or convention ends or opens at midnight): a cached right never
    outlives the right. Being a Caf agent is read from the user row itself, never cached."""
    if not user.is_authenticated:
        return Rights()
    cached = getattr(user, "_portal_rights", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    key = f"rights-conventions:{user.pk}:{user.rights_version}:{today.isoformat()}"  # its own name: the
    # entries of older code (another shape) are never read
    stored = cache.get(key)
    if stored is None:
        groups = Membership.objects.current(today).filter(user=user).values_list("group__code", flat=True)
        named = Convention.objects.naming(user, today).order_by()
        named = named.values_list("pk", "organisme", "organisme__caf", "administrable")
        stored = (sorted(set(named)), sorted(groups))
        cache.set(key, stored, RIGHTS_CACHE_SECONDS)
    named, groups = stored
    partners = {(organisme, caf) for _pk, organisme, caf, administrable in named if administrable}
    rights = Rights(
        is_partner_admin=bool(partners),
        groups=frozenset(groups),
        is_caf_agent=is_caf_agent(user),
        partners=frozenset(partners),
        conventions=frozenset((pk, organisme, administrable) for pk, organisme, _caf, administrable in named),
    )
    user._portal_rights = rights
    return rights


def rights_changed(user_ids):
    """What these users may do has changed: their next request computes their rights afresh."""
    user_ids = list(user_ids)
    get_user_model().objects.filter(pk__in=user_ids).update(rights_version=F("rights_version") + 1)
    forget_users(user_ids)  # the signed-in user's cached row carries the rights_version


def membership_changed(sender, instance, **kwargs):
    rights_changed([instance.user_id])


def administrator_changed(sender, instance, **kwargs):
    rights_changed([instance.user_id])


def convention_changed(sender, instance, **kwargs):
    rights_changed(instance.administrators.values_list("user_id", flat=True))


def organisme_changed(sender, instance, **kwargs):
    """The administered partners are kept with their Caf (Rights.partners): a partner moved to another Caf
    reaches its administrators' next request."""
    rights_changed(
        ConventionAdministrator.objects.filter(convention__organisme=instance).values_list(
            "user_id", flat=True
        )
    )


def group_changed(sender, instance, **kwargs):
    rights_changed(instance.memberships.values_list("user_id", flat=True))


def administered_partners(user):
    """The ids of the partners `user` administers today (rule 14), from the cached rights: the same as
    Organisme.objects.administered_by(user), without building and running its subquery."""
    return sorted(get_rights(user).organisme_ids)


def has_right(user, name):
    return getattr(get_rights(user), name)


def require_right(name):
    """View decorator: the view needs the right `name` of Rights; signed in without it → 403. The name is
    kept on the view (`required_right`): the menu (portal/menu.py) reads it there, so an entry and its
    page cannot disagree. Anonymous users never get here: LoginRequiredMiddleware sends them to sign in."""
    if not isinstance(getattr(Rights, name, None), property) and name not in Rights.__dataclass_fields__:
        raise AttributeError(f"Rights has no right named {name!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_right(request.user, name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_right = name
        return wrapped

    return decorator


partner_admin_required = require_right("is_partner_admin")
habilitation_manager_required = require_right("can_manage_habilitations")
declarant_required = require_right("is_declarant")
afas_user_required = require_right("works_in_afas")
