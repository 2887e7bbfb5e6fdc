"""« Accéder à des données statistiques »: the user's activités against their Caf and the nation."""

from django.db import transaction
from django.shortcuts import render

from afas.models import Activite, Habilitation
from conventions.rights import afas_user_required

from .stats import SERIES, statistics_for


@transaction.non_atomic_requests  # it only reads
@afas_user_required
def statistics(request):
    # The user's few activités first: as a subquery, PostgreSQL hashed all 60,000 activités of the national
    # data set to keep one (EXPLAIN: 180-290 ms); as a list it takes the primary key (bench/README.md).
    mine = Habilitation.objects.in_force_for(request.user).values_list("activite", flat=True)
    activites = (
        Activite.objects.filter(pk__in=list(mine.order_by().distinct()))
        .select_related("organisme__caf", "type", "nature")
        .order_by("nom")
    )
    return render(
        request, "afas/declarations/statistics.html", {"stats": statistics_for(activites), "series": SERIES}
    )
