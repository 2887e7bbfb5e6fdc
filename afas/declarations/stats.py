"""Statistics from the declarations « Réel » validated by the Caf: for each activité and exercice, its prix de
revient horaire, taux d'occupation and heures par enfant, against the averages of the activités of the same
type in its Caf and nationally (plain means of the activités' own figures)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from afas.models import ActivityData, Declaration, DeclarationType, State

from .checks import declaration_figures, format_number
from .fields import activity_fields

METRICS = [
    ("prix_revient_horaire", "Prix de revient horaire", " €", 2, Decimal(1)),
    ("taux_occupation", "Taux d'occupation (heures réalisées ÷ capacité théorique)", " %", 1, Decimal(100)),
    ("heures_par_enfant", "Heures réalisées par enfant inscrit", " h", 1, Decimal(1)),
]
SERIES = [("activite", "Cette activité"), ("caf", "Moyenne de la Caf"), ("national", "Moyenne nationale")]
CHART_WIDTH, CHART_HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 640, 240, 60, 30, 20


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) / len(values) if values else None


def validated_figures(activity_type_ids):
    """[(declaration, figures)] of every validated « Réel » declaration of these types of activité."""
    declarations = (
        Declaration.objects.filter(
            state=State.VALIDEE, type=DeclarationType.REEL, activite__type_id__in=activity_type_ids
        )
        .select_related("activite__organisme", "activite__type", "financial_data")
        .prefetch_related(
            Prefetch("activity_data", queryset=ActivityData.objects.only("declaration_id", "values"))
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
    own = defaultdict(dict)
    by_caf, national = defaultdict(list), defaultdict(list)
    for declaration, figs in figures:
        activite = declaration.activite
        own[activite.pk][declaration.exercice] = figs
        by_caf[(activite.type_id, activite.organisme.caf_id, declaration.exercice)].append(figs)
        national[(activite.type_id, declaration.exercice)].append(figs)
    result = []
    for activite in activites:
        exercices = sorted(own[activite.pk])
        charts = []
        for key, label, unit, places, scale in METRICS:
            points = [
                (
                    exercice,
                    {
                        "activite": own[activite.pk][exercice][key],
                        "caf": mean(
                            f[key] for f in by_caf[(activite.type_id, activite.organisme.caf_id, exercice)]
                        ),
                        "national": mean(f[key] for f in national[(activite.type_id, exercice)]),
                    },
                )
                for exercice in exercices
            ]
            charts.append(build_chart(key, label, unit, places, scale, points))
        result.append({"activite": activite, "exercices": exercices, "charts": charts})
    return result
