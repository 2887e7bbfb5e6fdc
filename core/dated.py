"""« In force on a day », written once for every dated row: users, conventions, memberships, MCP
administrators, habilitations.

A row is in force from its start (included) until its end (excluded: the date de clôture or fin is the first
day off); no end means open-ended. Each model names its own two columns in a `Period`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Period:
    """The start and end columns of a dated model, and the conditions on them as Q objects. `through` reads
    them across a relation: `User.period.in_force(on, through="user")` filters habilitations by their user."""

    def __init__(self, start, end):
        self.start = start
        self.end = end

    def _names(self, through):
        prefix = f"{through}__" if through else ""
        return prefix + self.start, prefix + self.end

    def in_force(self, on, through=""):
        start, end = self._names(through)
        return Q(**{f"{start}__lte": on}) & self.not_ended(on, through)

    def not_ended(self, on, through=""):
        """In force on `on` or to come."""
        _, end = self._names(through)
        return Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": on})

    def ended(self, on, through=""):
        _, end = self._names(through)
        return Q(**{f"{end}__lte": on})

    def not_started(self, on, through=""):
        start, _ = self._names(through)
        return Q(**{f"{start}__gt": on})

    def ends_after_start(self):
        """The check constraint of every dated table: no end, or an end on or after the start."""
        return Q(**{f"{self.end}__isnull": True}) | Q(**{f"{self.end}__gte": models.F(self.start)})

    def ends_after_start_constraint(self, name, **options):
        return models.CheckConstraint(condition=self.ends_after_start(), name=name, **options)

    def one_open_row(self, fields, name, among=None, **options):
        """The unique constraint « at most one row still open (no end) per `fields` »; closed rows stay.
        `among` (a Q) narrows the rows it counts: only the habilitations on an activité, not refused…"""
        condition = Q(**{f"{self.end}__isnull": True})
        if among is not None:
            condition &= among
        return models.UniqueConstraint(fields=fields, condition=condition, name=name, **options)

    def overlapping(self, start, end=None, through=""):
        """Rows sharing at least one day with [start, end)."""
        q = self.not_ended(start, through)
        if end is not None:
            start_name, _ = self._names(through)
            q &= Q(**{f"{start_name}__lt": end})
        return q


def today():
    return timezone.localdate()


class DatedQuerySet(models.QuerySet):
    """`period` is the model's: set `period = Period(...)` on the model class."""

    @property
    def period(self):
        return self.model.period

    def in_force(self, on=None):
        return self.filter(self.period.in_force(on or today()))

    def not_ended(self, on=None):
        return self.filter(self.period.not_ended(on or today()))

    def ended(self, on=None):
        return self.filter(self.period.ended(on or today()))

    def not_started(self, on=None):
        return self.filter(self.period.not_started(on or today()))


class Dated:
    """Model mixin: the same predicate on one row. The model sets `period = Period(start, end)`."""

    period: Period

    def _bounds(self):
        return getattr(self, self.period.start), getattr(self, self.period.end)

    def is_in_force(self, on=None):
        on = on or today()
        start, end = self._bounds()
        return start <= on and (end is None or end > on)

    def is_ended(self, on=None):
        _, end = self._bounds()
        return end is not None and end <= (on or today())

    def has_not_started(self, on=None):
        start, _ = self._bounds()
        return start > (on or today())
