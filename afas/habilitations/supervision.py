"""« Supervision habilitations »: the partner administrator's read-only view of who holds what."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from conventions.models import Membership
from conventions.rights import administered_partners, partner_admin_required
from core.search import normalise

from ..models import Habilitation, Role

PAGE_SIZE = 20
ROLE_LABELS = dict(Role.choices)
# Each user's habilitations as the model orders them.
ORDER = ("activite__nom", "lieu__nom", "role")


@dataclass
class Supervised:
    """A row of the page: what it shows of a user, as text (no model instances: the large partner has 1,000
    users, each with their groups and habilitations)."""

    identifiant: str
    label: str
    statut: str
    groups: list = field(default_factory=list)  # codes of the current groups
    in_force: list = field(default_factory=list)  # « rôle — lieu (activité) » or « rôle — activité »
    pending: list = field(default_factory=list)  # « rôle — activité »


def supervised_users(admin):
    """Users of the partners whose conventions `admin` administers today (from the cached rights), by name,
    with the columns a row shows."""
    return (
        User.objects.filter(organisme__in=administered_partners(admin))
        .only("identifiant", "nom", "prenom", "date_ouverture", "date_cloture")
        .order_by("nom", "prenom", "pk")
    )


def supervised_rows(users):
    """The page's users with their current groups, their habilitations in force and those awaiting the Caf
    (four queries of the columns shown, whatever the number of rows)."""
    today = timezone.localdate()
    rows = {user.pk: Supervised(user.identifiant, str(user), user.statut) for user in users}
    ids = list(rows)
    for user_id, code in (
        Membership.objects.current(today).filter(user__in=ids).values_list("user_id", "group__code")
    ):
        rows[user_id].groups.append(code)
    in_force = Habilitation.objects.in_force(today).filter(user__in=ids).order_by(*ORDER)
    for user_id, role, activite, lieu in in_force.values_list(
        "user_id", "role", "activite__nom", "lieu__nom"
    ):
        scope = f"{lieu} ({activite})" if lieu is not None else activite
        rows[user_id].in_force.append(f"{ROLE_LABELS[role]} — {scope}")
    pending = Habilitation.objects.awaiting_caf().filter(user__in=ids).order_by(*ORDER)
    for user_id, role, activite in pending.values_list("user_id", "role", "activite__nom"):
        rows[user_id].pending.append(f"{ROLE_LABELS[role]} — {activite}")
    return list(rows.values())


@partner_admin_required
@require_GET
def supervision(request):
    queryset = supervised_users(request.user)
    nom = request.GET.get("nom", "").strip()
    if nom:
        queryset = queryset.filter(nom_search__contains=normalise(nom))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = supervised_rows(page.object_list)
    return render(request, "afas/habilitations/supervision.html", {"page": page, "nom": nom})
