"""The day the tests live on. A test whose dates depend on « today » freezes the clock on TODAY
(`@on_today`, or `pytestmark = on_today` for a module), so it reads as a sentence about a named day and
passes on whatever day it is run. The clock still ticks from there: timestamps stay ordered."""

import datetime
from zoneinfo import ZoneInfo

import pytest

TODAY = datetime.date(2026, 12, 2)

# Ten in the morning in Paris (the project's TIME_ZONE): a test's few seconds never cross midnight.
NOW = datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=ZoneInfo("Europe/Paris"))

on_today = pytest.mark.time_machine(NOW)
