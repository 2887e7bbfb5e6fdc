"""« Accueil AFAS », its help pages and « Mes déclarations » (slides N°24-25)."""

from django.db import transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from afas.models import Declaration, State
from conventions.rights import afas_user_required, declarant_required
from core.fragments import REFERENCE_SCOPE, cached_fragment

from . import checks
from .access import accesses_by_activite
from .forms import DeclarationFilter

WAITING_STATES = [State.A_SAISIR, State.EN_COURS, State.A_CORRIGER, State.A_APPROUVER]


def with_actions(declarations, accesses):
    rows = []
    for declaration in declarations:
        access = accesses[declaration.activite_id]
        rows.append({"declaration": declaration, "actions": access.actions(declaration)})
    return rows


def waiting_for(user, accesses):
    """The declarations on which this user has something to do, earliest deadline first."""
    declarations = (
        Declaration.objects.visible_to(user, accesses)
        .filter(state__in=WAITING_STATES)
        .select_related("activite", "campaign")
        .order_by("campaign__date_limite", "activite__nom")
    )
    waiting = []
    for declaration in declarations:
        access = accesses[declaration.activite_id]
        if (declaration.is_editable and access.is_provider and not declaration.opens_on) or (
            declaration.state == State.A_APPROUVER and access.approbateur
        ):
            waiting.append(declaration)
    return with_actions(waiting, accesses)


# The pages that only read run outside a transaction of the request (ATOMIC_REQUESTS): no BEGIN and COMMIT
# round trips, no savepoints around what their services do atomically.
@transaction.non_atomic_requests
@afas_user_required
def home(request):
    accesses = accesses_by_activite(request.user)
    return render(request, "afas/home.html", {"waiting": waiting_for(request.user, accesses)})


@afas_user_required
def guide(request):
    return render(request, "afas/declarations/guide.html", {"rules": checks.guide_figures()})


@afas_user_required
def tutorial(request):
    return render(request, "afas/declarations/tutorial.html")


@transaction.non_atomic_requests
@declarant_required
def declaration_list(request):
    """The filters, and the results only once a search is launched (the deck's wording)."""
    accesses = accesses_by_activite(request.user)
    queryset = (
        Declaration.objects.visible_to(request.user, accesses)
        .select_related("activite__type", "campaign")  # the list shows no nature: no join for it
        .order_by("-exercice", "type", "activite__nom")
    )
    searched = "rechercher" in request.GET
    declaration_filter = DeclarationFilter(request.GET if searched else None, queryset=queryset)
    rows = None
    if searched and declaration_filter.is_valid():
        rows = with_actions(declaration_filter.qs, accesses)
    context = {
        "filter": declaration_filter,
        "filter_html": filter_block(request, declaration_filter, searched),
        "searched": searched,
        "rows": rows,
    }
    return render(request, "afas/declarations/list.html", context)


def filter_block(request, declaration_filter, searched):
    """The fields of the filter block, kept in the shared cache (core/fragments.py) under what was asked (the
    block shows it, and its errors), the day (the exercices offered) and the token of the types and natures
    d'activité, which every save or delete of one drops; the same for every user: it shows none of their
    data. Drawn from the cache, the page reads neither types nor natures (two queries)."""
    asked = (
        [(name, request.GET.getlist(name)) for name in declaration_filter.form.fields] if searched else None
    )
    return cached_fragment(
        "declarations-filter",
        [REFERENCE_SCOPE],
        [asked, timezone.localdate()],
        lambda: render_to_string("afas/declarations/_filters.html", {"filter": declaration_filter}),
    )
