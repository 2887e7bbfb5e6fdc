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

from django.db.models import Sum

from afas.models import ActiviteStatistics, DeclarationStatistics

from . import checks
from .checks import format_number, ratio
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
SUMS = [f"{metric.key}_{end}" for metric in METRICS for end in ("numerator", "denominator")]
SERIES = [("activite", "Cette activité"), ("caf", "Moyenne de la Caf"), ("national", "Moyenne nationale")]
CHART_WIDTH, CHART_HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 640, 240, 60, 30, 20


FIGURES = ("total_charges", "heures_realisees", "capacite_theorique", "inscrits")  # the metrics' terms


def weighted_average(numerator, denominator):
    """Σ numerator ÷ Σ denominator, over the declarations that have both (afas/declarations/rollup.py)."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def is_plausible(declaration):
    """The figures pass the blocking checks a part must pass to be marked complete (figures validated before
    the checks existed, or loaded by other means, may not)."""
    fields = activity_fields(declaration.activite.type.code)
    if any(checks.activity_errors(fields, p.values, p.rejected) for p in declaration.activity_data.all()):
        return False
    financial = declaration.financial_data
    ceiling = amount_ceiling(declaration.activite.type.code)
    return not checks.financial_errors(financial.values, financial.rejected, ceiling)


def rollup_figures(activites):
    """From the rollup only, whatever the number of declarations in the country (three queries):
    ({activité id: {exercice: ActiviteStatistics}}, {(caf, type, exercice): sums}, {(type, exercice): sums})."""
    own = defaultdict(dict)
    for row in ActiviteStatistics.objects.filter(activite__in=[a.pk for a in activites]).order_by():
        own[row.activite_id][row.exercice] = row
    type_ids = {a.type_id for a in activites}
    by_caf = {
        (row["caf_id"], row["activity_type_id"], row["exercice"]): row
        for row in DeclarationStatistics.objects.filter(
            activity_type__in=type_ids, caf__in={a.organisme.caf_id for a in activites}
        )
        .order_by()
        .values("caf_id", "activity_type_id", "exercice", *SUMS)
    }
    national = {
        (row["activity_type_id"], row["exercice"]): row
        for row in DeclarationStatistics.objects.filter(activity_type__in=type_ids)
        .order_by()
        .values("activity_type_id", "exercice")
        .annotate(**{column: Sum(column) for column in SUMS})
    }
    return own, by_caf, national


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


def points_for(activites):
    """{activité id: ({metric key: [(exercice, {series: value})]}, [exercices of its outliers])}."""
    own, by_caf, national = rollup_figures(activites)
    result = {}
    for activite in activites:
        mine = own[activite.pk]
        charts = {}
        for metric in METRICS:
            numerator, denominator = f"{metric.key}_numerator", f"{metric.key}_denominator"
            charts[metric.key] = []
            for exercice in sorted(mine):
                caf = by_caf.get((activite.organisme.caf_id, activite.type_id, exercice), {})
                country = national.get((activite.type_id, exercice), {})
                own_figures = mine[exercice]
                series = {
                    "activite": ratio(
                        getattr(own_figures, metric.numerator), getattr(own_figures, metric.denominator)
                    ),
                    "caf": weighted_average(caf.get(numerator), caf.get(denominator)),
                    "national": weighted_average(country.get(numerator), country.get(denominator)),
                }
                charts[metric.key].append((exercice, series))
        result[activite.pk] = (charts, sorted(e for e, row in mine.items() if not row.plausible))
    return result


def statistics_for(activites):
    """For each activité: its charts, one per metric, over the exercices of its validated declarations."""
    activites = list(activites)
    points = points_for(activites)
    result = []
    for activite in activites:
        by_metric, outliers = points[activite.pk]
        charts = []
        for metric in METRICS:
            chart = build_chart(
                metric.key, metric.label, metric.unit, metric.places, metric.scale, by_metric[metric.key]
            )
            chart.how = metric.how
            charts.append(chart)
        result.append(
            {
                "activite": activite,
                "exercices": [exercice for exercice, _ in by_metric[METRICS[0].key]],
                "charts": charts,
                "outliers": outliers,
            }
        )
    return result
