"""The one way a partner administrator's view reaches a convention, its users and its memberships.

A foreign id gets a 404, not a 403: an outsider must not learn that the id exists. The pages of one
convention take `@convention_page` (or `@convention_user_page`), which applies these helpers before the view
runs, and render through `render_convention_page`."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import User
from core.errors import confirmed

from .models import Convention, Membership
from .rights import get_rights, partner_admin_required


def get_convention_for_admin(user, pk):
    """A convention `user` administers today (rule 14), known from their cached rights: the page reads it
    by its key, without the join of the seats."""
    if pk not in get_rights(user).administered_convention_ids:
        raise Http404("Aucune convention administrée ne porte ce numéro.")
    return get_object_or_404(Convention.objects.select_related("caf", "organisme__type"), pk=pk)


def get_user_for_admin(convention, pk):
    """A user attached to the convention through its organisme."""
    return get_object_or_404(User.objects.filter(organisme=convention.organisme_id), pk=pk)


def get_membership_for_admin(convention, pk):
    memberships = Membership.objects.filter(user__organisme=convention.organisme_id)
    return get_object_or_404(memberships.select_related("user", "group"), pk=pk)


def convention_page(view):
    """View decorator for the pages of one convention (`<int:pk>/…`): a partner administrator only (403
    otherwise), then the convention they administer (404 for any other), given to `view(request, convention,
    …)` in place of its number."""

    @partner_admin_required
    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        return view(request, get_convention_for_admin(request.user, pk), *args, **kwargs)

    return wrapped


def convention_user_page(view):
    """The same for the pages of one user of the convention (`<int:pk>/utilisateurs/<int:user_pk>/…`):
    `view(request, convention, user)`, 404 for a user of another organisme."""

    @convention_page
    @wraps(view)
    def wrapped(request, convention, user_pk):
        return view(request, convention, get_user_for_admin(convention, user_pk))

    return wrapped


def render_convention_page(request, convention, template, context=None, status=200):
    """A page of the convention: each one names it (its title, the breadcrumb, conventions/_selected.html)."""
    return render(request, template, {"convention": convention, **(context or {})}, status=status)


def closing_page(request, convention, template, context, *, close, success, back_to):
    """Closing a user or a membership: asked on a confirmation page, done by its POST (a refusal shown as an
    error, core/errors.py), then back to the page `back_to` of the convention."""
    if confirmed(request, close, success):
        return redirect(back_to, pk=convention.pk)
    return render_convention_page(request, convention, template, context)
