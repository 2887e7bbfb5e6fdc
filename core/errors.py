"""The one error type of a refused business operation (a rule said no), and how a page reports it."""

from django.contrib import messages
from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A rule refused the operation. Its French messages are shown to the user as they are; a dict of
    messages binds them to form fields, as a ValidationError does."""

    def __str__(self):
        return " ".join(self.messages)


def perform(request, operation, success):
    """Runs `operation` (a function a rule may refuse) and tells the user how it went: the refusal as an
    error message, else `success` (its text, or a function giving the text once the operation is done).
    Returns whether the operation was done."""
    try:
        operation()
    except Refused as refused:
        messages.error(request, str(refused))
        return False
    messages.success(request, success() if callable(success) else success)
    return True


def confirmed(request, operation, success):
    """A confirmation page (« Transmettre à la Caf », « Valider la déclaration », « Supprimer »…) is shown by
    its GET and acted on by its POST. On the POST, performs `operation` as `perform` does and returns True:
    the caller redirects, whether it was done or refused. On the GET, returns False: the caller shows it."""
    if request.method != "POST":
        return False
    perform(request, operation, success)
    return True
