"""« Organismes partenaires » and « Conventions » pages of a partner administrator (slides N°4-5)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from conventions import edp
from conventions.filters import ConventionFilter, empty_filter_block
from conventions.models import Convention, Organisme, PartnerType
from conventions.partner_data import GROUPS_SCOPE, PARTNER_TYPES_SCOPE
from conventions.rights import administered_partners, get_rights, partner_admin_required
from conventions.scoping import convention_page, render_convention_page
from conventions.services import current_member_counts, members_by_group
from core.fragments import cached_fragment, partner_scope

FILTER_LEGEND = "Filtrer convention par :"


@partner_admin_required
def partner_types(request):
    return render(request, "conventions/partner_types.html", {"partner_types": PartnerType.objects.all()})


@partner_admin_required
def organismes(request):
    """Their own organismes only: those of the conventions they administer (their cached rights)."""
    rows = Organisme.objects.filter(pk__in=administered_partners(request.user)).select_related("type", "caf")
    return render(request, "conventions/organismes.html", {"organismes": rows})


@partner_admin_required
def convention_list(request):
    """The conventions naming the user (Convention.objects.naming), read by their keys from the cached
    rights, each with `administrable` from there too."""
    rights = get_rights(request.user)
    conventions = Convention.objects.filter(pk__in=sorted(rights.named_convention_ids))
    filterset = ConventionFilter(
        request.GET or None, queryset=conventions.select_related("caf", "organisme"), request=request
    )
    rows = list(filterset.qs)
    administered = rights.administered_convention_ids
    for convention in rows:
        convention.administrable = convention.pk in administered
    context = {
        "filter": filterset,
        "conventions": rows,
        "filter_html": _empty_filter_block(request, filterset),
    }
    return render(request, "conventions/list.html", context)


def _empty_filter_block(request, filterset):
    """The « Filtrer convention par » block before any search, kept under the user's rights (their
    `rights_version`, bumped when a convention naming them or its partner changes, and the day) and the
    token of the partner types, which every save or delete of one drops."""
    user = request.user
    return empty_filter_block(
        request,
        filterset,
        FILTER_LEGEND,
        "conventions-filter",
        [PARTNER_TYPES_SCOPE],
        [user.pk, user.rights_version, timezone.localdate()],
    )


# What the detail and the EDP show of a seat: its dates, its avenant and its user's name and identifiant
# (and its convention, which the related manager sets on each).
ADMINISTRATOR_COLUMNS = (
    "convention",
    "date_debut",
    "date_fin",
    "avenant_date",
    "avenant_reference",
    "seat",
    "user__identifiant",
    "user__nom",
    "user__prenom",
)


def _administrators(convention):
    seats = convention.administrators.select_related("user").only(*ADMINISTRATOR_COLUMNS)
    return list(seats.order_by("date_debut", "seat"))


@convention_page
def convention_detail(request, convention):
    """The administrators' seats and the groups' current members, kept in the shared cache
    (core/fragments.py) under the partner's data token (dropped on every save or delete of its users, their
    memberships and its conventions' seats, and of a user seated on one of them:
    conventions/partner_data.py), the groups' token, the convention's « mail de la Caf » and the day."""
    members = cached_fragment(
        "convention-members",
        [partner_scope(convention.organisme_id), GROUPS_SCOPE],
        [convention.pk, convention.email_caf, timezone.localdate()],
        lambda: render_to_string(
            "conventions/_detail_members.html",
            {
                "convention": convention,
                "administrators": _administrators(convention),
                "groups": current_member_counts(convention),
            },
        ),
    )
    return render_convention_page(request, convention, "conventions/detail.html", {"members": members})


@convention_page
def convention_edp(request, convention):
    groups = [(group, current) for group, current, _past in members_by_group(convention)]
    pdf = edp.build_edp(convention, _administrators(convention), groups)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{convention.pk}-edp.pdf"'
    return response
