"""The one way a partner administrator's view reaches a convention, its users and its memberships.

A foreign id gets a 404, not a 403: an outsider must not learn that the id exists."""

from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Convention, Membership


def get_convention_for_admin(user, pk):
    conventions = Convention.objects.administered_by(user).select_related("caf", "organisme__type")
    return get_object_or_404(conventions, pk=pk)


def get_user_for_admin(convention, pk):
    """A user attached to the convention through its organisme."""
    return get_object_or_404(User.objects.filter(organisme=convention.organisme_id), pk=pk)


def get_membership_for_admin(convention, pk):
    memberships = Membership.objects.filter(user__organisme=convention.organisme_id)
    return get_object_or_404(memberships.select_related("user", "group"), pk=pk)
