"""What a signed-in user may do, computed once per request from their conventions and groups."""

from dataclasses import dataclass, field

from django.utils import timezone

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
        is_caf_agent=user.is_staff,
    )
    user._portal_rights = rights
    return rights
