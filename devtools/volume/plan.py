"""National-scale data for the benchmark (`manage.py generate_volume`): the plan of counts, a progress
line and batched inserts, used by the steps of devtools/volume/<app>.py (ordered in the command).

A step is a function step(plan, data, progress) that inserts its rows with bulk() and records in `data`
(a SimpleNamespace shared by the steps) the ids the following steps need."""

import sys
import time
from dataclasses import dataclass, fields
from itertools import islice

BATCH = 5000

# Logins printed at the end (identifiant, who), filled by the steps.
LOGINS = []


@dataclass
class Plan:
    """Default counts: one portal for every Caf of France (issue 6)."""

    cafs: int = 101
    organismes: int = 30_000
    conventions: int = 40_000
    users: int = 150_000
    activites: int = 60_000
    lieux: int = 150_000
    habilitations: int = 600_000
    declarations: int = 400_000
    large_partner_users: int = 1_000
    large_partner_activites: int = 200

    def scaled(self, factor):
        """Every count times `factor` (at least 1; the large partner keeps its shape within the total)."""
        values = {f.name: max(1, round(getattr(self, f.name) * factor)) for f in fields(self)}
        values["cafs"] = min(self.cafs, max(2, values["cafs"]))
        return Plan(**values)


class Progress:
    """One line per step on stderr, rewritten as rows go in: « habilitations : 120 000 / 600 000 (20 %) »."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.timings = []

    def start(self, label, total):
        self.label, self.total, self.done, self.started = label, total, 0, time.monotonic()
        self._draw()

    def advance(self, count):
        self.done += count
        self._draw()

    def finish(self):
        elapsed = time.monotonic() - self.started
        self.timings.append((self.label, self.done, elapsed))
        self.stream.write(
            f"\r{self.label} : {self.done:,} lignes en {elapsed:.1f} s".replace(",", " ") + " " * 20 + "\n"
        )
        self.stream.flush()

    def _draw(self):
        percent = 100 * self.done // self.total if self.total else 100
        line = f"{self.label} : {self.done:,} / {self.total:,} ({percent} %)".replace(",", " ")
        self.stream.write(f"\r{line}")
        self.stream.flush()


def bulk(model, rows, total, label, progress):
    """Inserts the objects of the iterable `rows` by batches of BATCH; returns their primary keys in order."""
    progress.start(label, total)
    ids = []
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        for obj in batch:
            if hasattr(obj, "fill_search_columns"):  # bulk_create does not call save()
                obj.fill_search_columns()
        created = model.objects.bulk_create(batch, batch_size=BATCH)
        ids.extend(obj.pk for obj in created)
        progress.advance(len(batch))
    progress.finish()
    return ids


def spread(total, parts, first=None):
    """`total` split into `parts` counts as even as possible; `first` forces the first part's count."""
    if parts <= 0:
        return []
    if first is not None:
        first = min(first, total)
        return [first, *spread(total - first, parts - 1)] if parts > 1 else [total]
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
