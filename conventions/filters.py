"""The « Filtrer … par » blocks of the conventions list (slide N°5) and of the users list (slide N°8)."""

import django_filters
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core.fragments import cached_fragment
from core.search import ChoiceFilter, ModelChoiceFilter, NormalisedCharFilter

from .forms import GroupChoiceField
from .models import Convention, HabilitationGroup, Membership, Organisme, PartnerType
from .rights import get_rights


def _administered_organismes(request):
    """The partners of the conventions naming the user (their cached rights)."""
    if request is None:
        return Organisme.objects.none()
    partners = sorted(get_rights(request.user).named_organisme_ids)
    return Organisme.objects.filter(pk__in=partners).order_by("raison_sociale")


class ConventionFilter(django_filters.FilterSet):
    libelle = NormalisedCharFilter(label="Libellé", field_name="libelle_search")
    type = ModelChoiceFilter(
        label="Type de partenaire", field_name="organisme__type", queryset=PartnerType.objects.all()
    )
    statut = ChoiceFilter(
        label="Statut", choices=[("ouvert", "Ouvert"), ("ferme", "Fermé")], method="by_statut"
    )
    organisme = ModelChoiceFilter(label="Partenaire", queryset=_administered_organismes)
    etat = ChoiceFilter(label="État", choices=Convention.Etat.choices)

    class Meta:
        model = Convention
        fields = []

    def by_statut(self, queryset, name, value):
        is_open = Convention.period.in_force(timezone.localdate())
        return queryset.filter(is_open) if value == "ouvert" else queryset.exclude(is_open)


class GroupChoiceFilter(ModelChoiceFilter):
    field_class = GroupChoiceField


class PartnerUserFilter(django_filters.FilterSet):
    identifiant = django_filters.CharFilter(label="Identifiant", lookup_expr="startswith")
    nom = NormalisedCharFilter(label="Nom", field_name="nom_search")
    prenom = NormalisedCharFilter(label="Prénoms", field_name="prenom_search")
    groupe = GroupChoiceFilter(
        label="Sélectionner un groupe", queryset=HabilitationGroup.objects.all(), method="in_group"
    )

    class Meta:
        model = User
        fields = []

    def in_group(self, queryset, name, value):
        """Users currently in the group."""
        return queryset.filter(pk__in=Membership.objects.current().filter(group=value).values("user"))


def empty_filter_block(request, filterset, legend, name, scopes, parts):
    """A « Filtrer … par » block (conventions/_filters.html) before any search, kept in the shared cache
    (core/fragments.py) under the tokens of `scopes` (what its lists offer) and the other `parts` it
    depends on, with the page's path (its « Réinitialiser » link). None once a search is made: its block
    shows what was asked."""
    if request.GET:
        return None
    return cached_fragment(
        name,
        scopes,
        [*parts, request.path],
        lambda: render_to_string(
            "conventions/_filters.html", {"filter": filterset, "legend": legend, "request": request}
        ),
    )
