"""The one error type of a refused business operation (a rule said no)."""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A rule refused the operation. Its French messages are shown to the user as they are; a dict of
    messages binds them to form fields, as a ValidationError does."""

    def __str__(self):
        return " ".join(self.messages)
