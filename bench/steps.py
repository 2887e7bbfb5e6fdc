"""What the import benchmarks (import_lines.py, import_users.py) share: their data built in a transaction
rolled back at the end, each step timed into the figures, and the script's ending that writes those figures
to the file named on the command line."""

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path


class Figures(dict):
    """The figures of one run: `with figures.timed("read"):` puts the seconds of the block in "read_s"."""

    @contextmanager
    def timed(self, step):
        started = time.perf_counter()
        yield
        self[f"{step}_s"] = time.perf_counter() - started


@contextmanager
def rolled_back():
    """A transaction undone at the end: the benchmark's database is left as found."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def write_result(measure):
    """`python bench/<script>.py RESULT.json`: the figures of measure() in RESULT.json, and printed."""
    result = json.dumps(measure())
    Path(sys.argv[1]).write_text(result)
    print(result)
