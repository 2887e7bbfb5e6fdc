"""A part's review: its blocking errors and alerts against the previous declaration of the same activité."""

from dataclasses import dataclass, field

from django.db.models import Case, Subquery, Value, When

from afas.models import ActivityData, Declaration, DeclarationType, FinancialData, State

from . import checks
from .fields import FINANCIAL_FIELDS, activity_fields, amount_ceiling

# The figures of a later type of the same year supersede the earlier ones.
TYPE_RANK = {DeclarationType.REEL: 0, DeclarationType.ACTUALISE: 1, DeclarationType.PREVISIONNEL: 2}
TYPE_ORDER = Case(*(When(type=type, then=Value(rank)) for type, rank in TYPE_RANK.items()))


@dataclass
class Review:
    errors: dict = field(default_factory=dict)
    alerts: list = field(default_factory=list)
    unjustified: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    justification_errors: dict = field(default_factory=dict)  # alert code → message

    @property
    def may_complete(self):
        return not self.errors and not self.unjustified and not self.justification_errors


@dataclass
class DeclarationData:
    """What the reviews of one declaration read, loaded once."""

    declaration: Declaration
    activity_parts: list
    financial_part: FinancialData
    previous: Declaration | None = None
    previous_activity: dict = field(default_factory=dict)  # lieu id (or None) → values
    previous_financial: dict | None = None
    previous_figures: dict | None = None

    @property
    def fields(self):
        return activity_fields(self.declaration.activite.type.code)

    @property
    def figures(self):
        return checks.declaration_figures(
            [p.values for p in self.activity_parts], self.financial_part.values, self.fields
        )


def fields_of(part):
    if isinstance(part, FinancialData):
        return FINANCIAL_FIELDS
    return activity_fields(part.declaration.activite.type.code)


def earlier_declarations(declaration):
    """Those of the same activité for an earlier exercice, transmitted or validated: the previous one is the
    latest of them."""
    return Declaration.objects.filter(
        activite_id=declaration.activite_id,
        exercice__lt=declaration.exercice,
        state__in=[State.TRANSMISE, State.VALIDEE],
    )


def latest_earlier(declaration):
    """The previous declaration's pk, as a subquery: the latest earlier exercice, « Réel » before « Actualisé »
    before « Prévisionnel » within a year."""
    return earlier_declarations(declaration).order_by("-exercice", TYPE_ORDER).values("pk")[:1]


def previous_figures_of(declaration):
    """(previous declaration, its activity values by lieu, its financial values), or (None, {}, None), in one
    query: the previous declaration joined to its parts. It holds only what the pages show of it (type,
    exercice, state) and is never saved."""
    rows = (
        Declaration.objects.filter(pk=Subquery(latest_earlier(declaration)))
        .order_by()
        .values_list(
            "pk",
            "type",
            "exercice",
            "state",
            "financial_data__values",
            "activity_data__lieu_id",
            "activity_data__values",
        )
    )
    rows = list(rows)
    if not rows:
        return None, {}, None
    pk, type, exercice, state, financial = rows[0][:5]
    previous = Declaration(
        pk=pk, activite_id=declaration.activite_id, type=type, exercice=exercice, state=state
    )
    # A part's values are never NULL: a NULL is the outer join of a declaration without activity parts.
    activity = {lieu: values for *_, lieu, values in rows if values is not None}
    return previous, activity, financial if financial is not None else {}


def previous_activity_values(part):
    """The values of the part of the same lieu in the previous declaration (latest_earlier), or None:
    all an activity part's own review compares, in one query rather than the whole declaration's data."""
    previous = latest_earlier(part.declaration)
    values = ActivityData.objects.filter(declaration=Subquery(previous), lieu_id=part.lieu_id)
    return next(iter(values.order_by().values_list("values", flat=True)[:1]), None)


PART_PEOPLE = ("updated_by", "completed_by")


def _names(people, prefix=""):
    return [f"{prefix}{who}__{name}" for who in people for name in ("nom", "prenom")]


def _own(model, prefix=""):
    return [f"{prefix}{field.name}" for field in model._meta.concrete_fields]


def with_names(queryset, *people, lieu=False):
    """The rows with the names of the people who changed them (all the pages show of them: get_full_name)
    and of their lieu, not every column of the joined users: half the SQL to build and read."""
    names = _names(people)
    if lieu:
        names.append("lieu__nom")
    return queryset.select_related(*people, *(["lieu"] if lieu else [])).only(*_own(queryset.model), *names)


def with_financial_part(declarations):
    """The declarations joined to their financial part and the names of who changed it (as with_names), for
    load_data: one query less on the declaration page. Their own joins (activité, campaign) stay whole."""
    prefix = "financial_data__"
    return declarations.select_related(*(prefix + who for who in PART_PEOPLE)).only(
        *_own(Declaration), *_own(FinancialData, prefix), *_names(PART_PEOPLE, prefix)
    )


def load_data(declaration):
    parts = list(with_names(ActivityData.objects.filter(declaration=declaration), *PART_PEOPLE, lieu=True))
    if Declaration.financial_data.is_cached(declaration):  # read with it: with_financial_part
        financial = declaration.financial_data
    else:
        financial = with_names(FinancialData.objects.all(), *PART_PEOPLE).get(declaration=declaration)
    previous, previous_activity, previous_financial = previous_figures_of(declaration)
    data = DeclarationData(declaration, parts, financial, previous, previous_activity, previous_financial)
    if data.previous:
        data.previous_figures = checks.declaration_figures(
            list(data.previous_activity.values()), data.previous_financial, data.fields
        )
    return data


def review_activity(part, data=None):
    """`data`: the declaration's, when the page has read it for every part; else only what this part needs."""
    if data is None:
        fields, previous = fields_of(part), previous_activity_values(part)
    else:
        fields, previous = data.fields, data.previous_activity.get(part.lieu_id)
    alerts = checks.activity_alerts(part.values, previous, fields)
    return Review(
        errors=checks.activity_errors(fields, part.values, part.rejected),
        alerts=alerts,
        unjustified=checks.unjustified(alerts, part.justifications),
        figures=checks.activity_figures(part.values, fields),
        justification_errors=checks.justification_errors(alerts, part.justifications),
    )


def review_financial(part, data=None):
    data = data or load_data(part.declaration)
    figures = checks.declaration_figures([p.values for p in data.activity_parts], part.values, data.fields)
    alerts = checks.financial_alerts(figures, data.previous_figures)
    ceiling = amount_ceiling(data.declaration.activite.type.code)
    return Review(
        errors=checks.financial_errors(part.values, part.rejected, ceiling),
        alerts=alerts,
        unjustified=checks.unjustified(alerts, part.justifications),
        figures=figures,
        justification_errors=checks.justification_errors(alerts, part.justifications),
    )
