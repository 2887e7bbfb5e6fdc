"""The statistics as « Statistiques » computed them before the rollup: from every validated declaration
« Réel » of the country, loaded at each request. Kept as the reference the rollup's figures must equal."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from afas.declarations.checks import declaration_figures
from afas.declarations.fields import activity_fields
from afas.declarations.stats import METRICS, is_plausible
from afas.models import ActivityData, Declaration, DeclarationType, State


def weighted_average(figures, metric):
    pairs = [
        (f[metric.numerator], f[metric.denominator])
        for f in figures
        if f[metric.numerator] is not None and f[metric.denominator]
    ]
    if not pairs:
        return None
    return sum((n for n, _ in pairs), Decimal(0)) / sum((d for _, d in pairs), Decimal(0))


def validated_figures(activity_type_ids):
    declarations = (
        Declaration.objects.filter(
            state=State.VALIDEE, type=DeclarationType.REEL, activite__type_id__in=activity_type_ids
        )
        .select_related("activite__organisme", "activite__type", "financial_data")
        .prefetch_related(
            Prefetch(
                "activity_data", queryset=ActivityData.objects.only("declaration_id", "values", "rejected")
            )
        )
    )
    return [
        (
            d,
            declaration_figures(
                [p.values for p in d.activity_data.all()],
                d.financial_data.values,
                activity_fields(d.activite.type.code),
            ),
            is_plausible(d),
        )
        for d in declarations
    ]


def points_from_declarations(activites):
    """{activité id: ({metric key: [(exercice, {series: value})]}, outliers)}."""
    activites = list(activites)
    own, outliers = defaultdict(dict), defaultdict(set)
    by_caf, national = defaultdict(list), defaultdict(list)
    for declaration, figs, plausible in validated_figures({a.type_id for a in activites}):
        activite = declaration.activite
        own[activite.pk][declaration.exercice] = figs
        if not plausible:
            outliers[activite.pk].add(declaration.exercice)
            continue
        by_caf[(activite.type_id, activite.organisme.caf_id, declaration.exercice)].append(figs)
        national[(activite.type_id, declaration.exercice)].append(figs)
    result = {}
    for activite in activites:
        charts = {
            metric.key: [
                (
                    exercice,
                    {
                        "activite": own[activite.pk][exercice][metric.key],
                        "caf": weighted_average(
                            by_caf[(activite.type_id, activite.organisme.caf_id, exercice)], metric
                        ),
                        "national": weighted_average(national[(activite.type_id, exercice)], metric),
                    },
                )
                for exercice in sorted(own[activite.pk])
            ]
            for metric in METRICS
        }
        result[activite.pk] = (charts, sorted(outliers[activite.pk]))
    return result
