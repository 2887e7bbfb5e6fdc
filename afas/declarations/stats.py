"""Statistics from the declarations « Réel » validated by the Caf: for each activité and exercice, its prix de
revient horaire, taux d'occupation and heures par enfant, against the averages of the activités of the same
type in its Caf and nationally.

An average is read as a Caf reads it, a ratio of sums: the prix de revient horaire of a group is its total
charges ÷ its total heures réalisées, not a mean of each activité's ratio (a small activité would weigh as
much as a large one). Declarations whose figures fail the plausibility checks (afas/declarations/checks.py)
are left out of the averages: one typing error must not move the figure of a whole Caf."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from afas.models import ActivityData, Declaration, DeclarationType, State

from . import checks
from .checks import declaration_figures, format_number
from .fields import activity_fields, amount_ceiling


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    numerator: str
    denominator: str
    unit: str
    places: int
    scale: Decimal
    how: str  # how the averages are computed, said on the page


METRICS = [
    Metric(
        "prix_revient_horaire",
        "Prix de revient horaire",
        "total_charges",
        "heures_realisees",
        "\u00a0€",
        2,
        Decimal(1),
        "total des charges des activités ÷ total de leurs heures réalisées",
    ),
    Metric(
        "taux_occupation",
        "Taux d'occupation (heures réalisées ÷ capacité théorique)",
        "heures_realisees",
        "capacite_theorique",
        "\u00a0%",
        1,
        Decimal(100),
        "total des heures réalisées des activités ÷ total de leurs capacités théoriques",
    ),
    Metric(
        "heures_par_enfant",
        "Heures réalisées par enfant inscrit",
        "heures_realisees",
        "inscrits",
        "\u00a0h",
        1,
        Decimal(1),
        "total des heures réalisées des activités ÷ total de leurs enfants inscrits",
    ),
]
SERIES = [("activite", "Cette activité"), ("caf", "Moyenne de la Caf"), ("national", "Moyenne nationale")]
CHART_WIDTH, CHART_HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 640, 240, 60, 30, 20


def weighted_average(figures, metric):
    """Σ numerator ÷ Σ denominator over the declarations that have both."""
    pairs = [
        (f[metric.numerator], f[metric.denominator])
        for f in figures
        if f[metric.numerator] is not None and f[metric.denominator]
    ]
    if not pairs:
        return None
    return sum((n for n, _ in pairs), Decimal(0)) / sum((d for _, d in pairs), Decimal(0))


def is_plausible(declaration):
    """The figures pass the blocking checks a part must pass to be marked complete (figures validated before
    the checks existed, or loaded by other means, may not)."""
    fields = activity_fields(declaration.activite.type.code)
    if any(checks.activity_errors(fields, p.values, p.rejected) for p in declaration.activity_data.all()):
        return False
    financial = declaration.financial_data
    ceiling = amount_ceiling(declaration.activite.type.code)
    return not checks.financial_errors(financial.values, financial.rejected, ceiling)


def validated_figures(activity_type_ids):
    """[(declaration, figures, plausible)] of every validated « Réel » declaration of these types."""
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


def nice_ceiling(value):
    """The smallest of 1, 2, 4, 6, 8 × 10^k above the value, so that quarter ticks stay round."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (value.adjusted())
    for step in (1, 2, 4, 6, 8, 10):
        if magnitude * step >= value:
            return magnitude * step
    return magnitude * 10


@dataclass
class Chart:
    key: str
    label: str
    unit: str
    rows: list = field(default_factory=list)  # {exercice, activite, caf, national} formatted
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    how: str = ""


def build_chart(key, label, unit, places, scale, points):
    """`points`: [(exercice, {series: value})]. Server-side SVG geometry: grouped bars per exercice."""
    chart = Chart(key, label, unit)
    values = [v * scale for _, by_series in points for v in by_series.values() if v is not None]
    top = nice_ceiling(max(values, default=Decimal(1)))
    plot_height = CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    group_width = (CHART_WIDTH - MARGIN_LEFT) / max(len(points), 1)
    bar_width = group_width / (len(SERIES) + 1)
    for index, (exercice, by_series) in enumerate(points):
        row = {"exercice": exercice}
        for position, (series, series_label) in enumerate(SERIES):
            value = by_series.get(series)
            row[series] = format_number(value * scale, places) + unit if value is not None else "—"
            if value is None:
                continue
            height = float(value * scale / top) * plot_height
            chart.bars.append(
                {
                    "x": round(MARGIN_LEFT + index * group_width + (position + 0.5) * bar_width, 1),
                    "y": round(MARGIN_TOP + plot_height - height, 1),
                    "width": round(bar_width * 0.9, 1),
                    "height": round(height, 1),
                    "series": series,
                    "title": f"{exercice} — {series_label} : {row[series]}",
                }
            )
        row["label_x"] = round(MARGIN_LEFT + (index + 0.5) * group_width, 1)
        chart.rows.append(row)
    for step in range(5):
        value = top * step / 4
        chart.ticks.append(
            {
                "y": round(MARGIN_TOP + plot_height - plot_height * step / 4, 1),
                "label": format_number(value, 0 if top > 10 else 1),
            }
        )
    chart.baseline = CHART_HEIGHT - MARGIN_BOTTOM
    chart.label_y = CHART_HEIGHT - 8
    chart.margin_left = MARGIN_LEFT
    return chart


def statistics_for(activites):
    """For each activité: its charts, one per metric, over the exercices of its validated declarations."""
    activites = list(activites)
    figures = validated_figures({a.type_id for a in activites})
    own, outliers = defaultdict(dict), defaultdict(set)
    by_caf, national = defaultdict(list), defaultdict(list)
    for declaration, figs, plausible in figures:
        activite = declaration.activite
        own[activite.pk][declaration.exercice] = figs
        if not plausible:
            outliers[activite.pk].add(declaration.exercice)
            continue
        by_caf[(activite.type_id, activite.organisme.caf_id, declaration.exercice)].append(figs)
        national[(activite.type_id, declaration.exercice)].append(figs)
    result = []
    for activite in activites:
        exercices = sorted(own[activite.pk])
        charts = []
        for metric in METRICS:
            points = [
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
                for exercice in exercices
            ]
            chart = build_chart(metric.key, metric.label, metric.unit, metric.places, metric.scale, points)
            chart.how = metric.how
            charts.append(chart)
        result.append(
            {
                "activite": activite,
                "exercices": exercices,
                "charts": charts,
                "outliers": sorted(outliers[activite.pk]),
            }
        )
    return result
