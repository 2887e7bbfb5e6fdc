"""Dates as JJ/MM/AAAA and times as 11h11, like the deck, wherever Django formats them itself (the Caf
back-office's lists and read-only fields). Names not set here keep Django's French formats."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = r"H\hi"
DATETIME_FORMAT = r"d/m/Y à H\hi"
SHORT_DATETIME_FORMAT = r"d/m/Y H\hi"
