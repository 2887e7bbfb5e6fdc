from django.dispatch import Signal
from django.utils import timezone

# Sent once an account's date de clôture is set (user=, on= the date de clôture, by= who closed it): the
# apps above accounts react (conventions ends the group memberships) without accounts importing them.
account_closed = Signal()


def record_login(sender, user, **kwargs):
    """Shift last_login to previous_login, for « Votre dernière connexion à ce service date du … »."""
    user.previous_login = user.last_login
    user.last_login = timezone.now()
    user.save(update_fields=["previous_login", "last_login"])
