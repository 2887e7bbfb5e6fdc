"""« Groupes » of a convention, « Ajouter un utilisateur au groupe » (slides N°8-10), closing a membership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from conventions.forms import AddToGroupForm
from conventions.rights import partner_admin_required
from conventions.scoping import get_convention_for_admin, get_membership_for_admin
from conventions.services import add_to_group, close_membership, members_by_group
from core.errors import perform


@partner_admin_required
def group_list(request, pk):
    convention = get_convention_for_admin(request.user, pk)
    return render(
        request,
        "conventions/groups/list.html",
        {"convention": convention, "groups": members_by_group(convention)},
    )


@partner_admin_required
def group_add_user(request, pk):
    convention = get_convention_for_admin(request.user, pk)
    initial = {"user": request.GET.get("utilisateur")} if request.GET.get("utilisateur", "").isdigit() else {}
    form = AddToGroupForm(request.POST or None, initial=initial, convention=convention)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_to_group(
                data["user"], data["group"], data["date_ouverture"], data["date_cloture"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{data['user']} est ajouté au groupe « {data['group'].libelle} ».")
            return redirect("conventions:groups", pk=convention.pk)
    return render(request, "conventions/groups/add_user.html", {"convention": convention, "form": form})


@partner_admin_required
def membership_close(request, pk, membership_pk):
    convention = get_convention_for_admin(request.user, pk)
    membership = get_membership_for_admin(convention, membership_pk)
    if request.method == "POST":
        perform(
            request,
            lambda: close_membership(membership, by=request.user),
            f"{membership.user} ne fait plus partie du groupe « {membership.group.libelle} ».",
        )
        return redirect("conventions:groups", pk=convention.pk)
    return render(
        request,
        "conventions/groups/close_membership.html",
        {"convention": convention, "membership": membership},
    )
