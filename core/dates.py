"""Dates typed by people (users, memberships, conventions, habilitations, campaigns): one range, one rule
for a period, one French format. Model fields carry the validator, so the portal's forms and the
back-office refuse the same dates with the same message."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5


def fr(value):
    """JJ/MM/AAAA, as the deck writes dates."""
    return value.strftime("%d/%m/%Y")


def latest_date(today=None):
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def validate_plausible_date(value):
    """A typo (0224 for 2024, 2204 for 2024) must not open an account for two centuries."""
    if value is None:
        return
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            "Saisissez une date comprise entre le %(earliest)s et le %(latest)s.",
            code="implausible_date",
            params={"earliest": fr(EARLIEST_DATE), "latest": fr(latest)},
        )


def validate_period(opening, closing, closing_field="date_cloture"):
    """A date de clôture is the first day off: on or before the date d'ouverture, the thing would never be
    open. Raises a ValidationError bound to the closing field."""
    if opening and closing and closing <= opening:
        raise ValidationError(
            {
                closing_field: ValidationError(
                    "La date de clôture doit être postérieure à la date d'ouverture (%(opening)s).",
                    code="closes_before_opening",
                    params={"opening": fr(opening)},
                )
            }
        )


class PeriodFormMixin:
    """A form whose date de clôture, when typed, must follow its date d'ouverture. Checked only when one
    of the two dates is typed: « Supprimer » on the day an account opens leaves them equal, and saving such
    a row again for another change must not be refused."""

    opening_field = "date_ouverture"
    closing_field = "date_cloture"

    def clean(self):
        cleaned = super().clean()
        # Compared with the initial values rather than changed_data: a field with a callable default
        # (date d'ouverture: today) is always « changed » when its hidden initial is not posted.
        typed = any(
            cleaned.get(name) != self.initial.get(name) for name in (self.opening_field, self.closing_field)
        )
        if typed:
            try:
                validate_period(
                    cleaned.get(self.opening_field), cleaned.get(self.closing_field), self.closing_field
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
