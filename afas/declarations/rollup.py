"""The sums behind « Statistiques » (afas/models/statistics.py), kept in step with the validations.

A declaration « Réel » counts from the moment the Caf validates it: `count` runs in the same transaction as
the move to « Validée par la Caf » (`services.transition`), `withdraw` in the same transaction as any move
out of it, and `rebuild` recomputes both tables from the declarations (`manage.py rebuild_statistics`, and
the demo and volume builders, which write declarations without the services).

What is added for a declaration is kept in its `ActiviteStatistics` row, so that taking the validation back
subtracts exactly what was added, from the Caf and type it was added to, even if the plausibility checks or
the activité changed since. Rule 16: outliers (figures failing the checks) are kept for their own activité
but left out of the sums of their Caf, hence of the national ones.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Prefetch

from afas.models import (
    ActiviteStatistics,
    ActivityData,
    Declaration,
    DeclarationStatistics,
    DeclarationType,
    State,
)

from .checks import declaration_figures
from .fields import activity_fields
from .stats import FIGURES, METRICS, is_plausible

BATCH = 2000


def counts(declaration):
    """Only the declarations « Réel » enter the statistics."""
    return declaration.type == DeclarationType.REEL


def figures_of(declaration):
    """The row of the declaration's own figures (not saved); reads its parts and activité."""
    declaration = (
        Declaration.objects.select_related("activite__organisme", "activite__type", "financial_data")
        .prefetch_related(Prefetch("activity_data", queryset=ActivityData.objects.order_by()))
        .get(pk=declaration.pk)
    )
    return own_row(declaration)


def own_row(declaration):
    activite = declaration.activite
    figures = declaration_figures(
        [part.values for part in declaration.activity_data.all()],
        declaration.financial_data.values,
        activity_fields(activite.type.code),
    )
    return ActiviteStatistics(
        declaration_id=declaration.pk,
        activite_id=activite.pk,
        caf_id=activite.organisme.caf_id,
        activity_type_id=activite.type_id,
        exercice=declaration.exercice,
        plausible=is_plausible(declaration),
        **{name: figures[name] for name in FIGURES},
    )


def contribution(row):
    """{column of DeclarationStatistics: amount} that one declaration's figures add to the sums of its Caf."""
    if not row.plausible:
        return {"outliers": 1}
    added = {"declarations": 1}
    for metric in METRICS:
        numerator, denominator = getattr(row, metric.numerator), getattr(row, metric.denominator)
        if numerator is not None and denominator:  # as a ratio of the declaration itself: both needed
            added[f"{metric.key}_numerator"] = numerator
            added[f"{metric.key}_denominator"] = denominator
    return added


def apply(row, sign):
    key = {"caf_id": row.caf_id, "activity_type_id": row.activity_type_id, "exercice": row.exercice}
    # The row first if it is missing (another validation may create it at the same moment), then the
    # amounts added in place: two validations of the same Caf at once both count.
    DeclarationStatistics.objects.bulk_create([DeclarationStatistics(**key)], ignore_conflicts=True)
    DeclarationStatistics.objects.filter(**key).update(
        **{column: F(column) + sign * amount for column, amount in contribution(row).items()}
    )
    if sign < 0:  # the last declaration of the group gone: no row, as a rebuild would leave it
        DeclarationStatistics.objects.filter(**key, declarations=0, outliers=0).delete()


def count(declaration):
    """The declaration has just been validated by the Caf: its figures join the sums."""
    if not counts(declaration):
        return
    row = figures_of(declaration)
    row.save()
    apply(row, +1)


def withdraw(declaration):
    """The declaration is no longer validated: what it added is taken back out."""
    row = ActiviteStatistics.objects.filter(declaration=declaration.pk).first()
    if row is None:
        return
    apply(row, -1)
    row.delete()  # derived data, rebuilt at will: the declaration's history keeps the facts


@transaction.atomic
def rebuild():
    """Both tables recomputed from the validated declarations « Réel ». Validations made meanwhile wait for
    the end (their sums are then added to the rebuilt rows), so none is lost or counted twice."""
    if connection.vendor == "postgresql":
        for model in (ActiviteStatistics, DeclarationStatistics):
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    ActiviteStatistics.objects.all().delete()
    DeclarationStatistics.objects.all().delete()
    declarations = (
        Declaration.objects.filter(state=State.VALIDEE, type=DeclarationType.REEL)
        .order_by()
        .select_related("activite__organisme", "activite__type", "financial_data")
        .prefetch_related(
            Prefetch(
                "activity_data",
                queryset=ActivityData.objects.order_by().only("declaration_id", "values", "rejected"),
            )
        )
    )
    sums = defaultdict(lambda: defaultdict(Decimal))
    rows = []
    for declaration in declarations.iterator(chunk_size=BATCH):
        row = own_row(declaration)
        rows.append(row)
        for column, amount in contribution(row).items():
            sums[(row.caf_id, row.activity_type_id, row.exercice)][column] += amount
        if len(rows) >= BATCH:
            ActiviteStatistics.objects.bulk_create(rows)
            rows = []
    ActiviteStatistics.objects.bulk_create(rows)
    DeclarationStatistics.objects.bulk_create(
        (
            DeclarationStatistics(caf_id=caf_id, activity_type_id=type_id, exercice=exercice, **amounts)
            for (caf_id, type_id, exercice), amounts in sums.items()
        ),
        batch_size=BATCH,
    )
    return len(sums)
