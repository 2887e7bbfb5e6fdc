"""What a signed-in user may do, computed once per request from their conventions and groups."""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.admin_scoping import is_caf_agent

from .models import Convention, HabilitationGroup, Membership


@dataclass(frozen=True)
class Rights:
    is_partner_admin: bool = False
    groups: frozenset = field(default_factory=frozenset)
    is_caf_agent: bool = False

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


def get_rights(user):
    if not user.is_authenticated:
        return Rights()
    cached = getattr(user, "_portal_rights", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    groups = frozenset(
        Membership.objects.current(today).filter(user=user).values_list("group__code", flat=True)
    )
    rights = Rights(
        is_partner_admin=Convention.objects.administered_by(user, today).exists(),
        groups=groups,
        is_caf_agent=is_caf_agent(user),
    )
    user._portal_rights = rights
    return rights


def require_rights(predicate):
    """View decorator: anonymous → sign-in page; signed in without the right → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(get_rights(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


partner_admin_required = require_rights(lambda r: r.is_partner_admin)
habilitation_manager_required = require_rights(lambda r: r.can_manage_habilitations)
declarant_required = require_rights(lambda r: r.is_declarant)
