"""« Accéder à des données statistiques »: the user's activités against their Caf and the nation."""

from django.shortcuts import render

from afas.models import Activite, Habilitation
from conventions.rights import afas_user_required

from .stats import SERIES, statistics_for


@afas_user_required
def statistics(request):
    activites = (
        Activite.objects.filter(
            pk__in=Habilitation.objects.in_force().filter(user=request.user).values("activite")
        )
        .select_related("organisme__caf", "type", "nature")
        .order_by("nom")
    )
    return render(
        request, "afas/declarations/statistics.html", {"stats": statistics_for(activites), "series": SERIES}
    )
