"""Model fields the apps share. Nothing is ever erased, so a link protects what it points to."""

from django.conf import settings
from django.db import models


def link(to, verbose_name, related_name="+", **options):
    """A foreign key that must be filled: the row belongs to what it points to (an habilitation to its user)."""
    options.update(verbose_name=verbose_name, related_name=related_name)
    return models.ForeignKey(to, on_delete=models.PROTECT, **options)


def optional_link(to, verbose_name, related_name="+", **options):
    """A foreign key that may stay empty (a partner user has no Caf, an habilitation may have no lieu)."""
    return link(to, verbose_name, related_name, null=True, blank=True, **options)


def done_by(verbose_name, related_name="+"):
    """Who did it (« accordée par », « clôturée par »): a user, empty when the system did it."""
    return optional_link(settings.AUTH_USER_MODEL, verbose_name, related_name)
