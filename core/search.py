"""Accent- and case-insensitive searches that work the same on PostgreSQL and SQLite: each searched name
has a normalised copy in its own indexed column, written on every save (« zoe » finds « Zoé », « peri »
finds « Péri Assoc »), and the typed text is normalised the same way."""

import unicodedata

import django_filters

from .choices import ListedFilterChoiceField

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def normalise(text):
    """« Péri  Assoc » → « peri assoc »: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


class NormalisedSearchMixin:
    """A model whose `search_columns` ({column: source field}) hold the normalised source, kept up to date on
    save() — including save(update_fields=[source]). Bulk inserts call fill_search_columns() themselves."""

    search_columns = {}

    def fill_search_columns(self):
        for column, source in self.search_columns.items():
            setattr(self, column, normalise(getattr(self, source)))

    def save(self, *args, **kwargs):
        self.fill_search_columns()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            columns = [column for column, source in self.search_columns.items() if source in update_fields]
            kwargs["update_fields"] = [*update_fields, *columns]
        super().save(*args, **kwargs)


class NormalisedCharFilter(django_filters.CharFilter):
    """A « contains » filter on a normalised column (`field_name`), the typed text normalised alike."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "contains")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, normalise(value) if value else value)


class ChoosingAll:
    """A criterion picked in a list, whose empty choice is « Tous » (each search form of the deck); pass
    `empty_label` where the word agrees otherwise (« Toutes »)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "Tous")
        super().__init__(*args, **kwargs)


class ChoiceFilter(ChoosingAll, django_filters.ChoiceFilter):
    """django-filter's, « Tous » when none is chosen."""


class ModelChoiceFilter(ChoosingAll, django_filters.ModelChoiceFilter):
    """django-filter's, « Tous » when none is chosen, its options read by one plain query."""

    field_class = ListedFilterChoiceField
