"""« Supervision habilitations »: the partner administrator's read-only view of who holds what."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from conventions.models import Membership, Organisme
from conventions.rights import partner_admin_required
from core.search import normalise

from ..models import Habilitation

PAGE_SIZE = 20


def supervised_users(admin):
    """Users of the partners whose conventions `admin` administers, with their current groups and their
    habilitations in force or awaiting the Caf (prefetched: a constant number of queries)."""
    organismes = Organisme.objects.administered_by(admin)
    in_force = Habilitation.objects.in_force().select_related("activite", "lieu")
    pending = Habilitation.objects.awaiting_caf().select_related("activite")
    return (
        User.objects.filter(organisme__in=organismes)
        .select_related("organisme")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("group"),
                to_attr="current_memberships",
            ),
            Prefetch("habilitations", queryset=in_force, to_attr="habilitations_in_force"),
            Prefetch("habilitations", queryset=pending, to_attr="habilitations_pending"),
        )
        .order_by("nom", "prenom", "pk")
    )


@partner_admin_required
@require_GET
def supervision(request):
    queryset = supervised_users(request.user)
    nom = request.GET.get("nom", "").strip()
    if nom:
        queryset = queryset.filter(nom_search__contains=normalise(nom))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "afas/habilitations/supervision.html", {"page": page, "nom": nom})
