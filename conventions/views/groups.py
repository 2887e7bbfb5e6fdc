"""« Groupes » of a convention, « Ajouter un utilisateur au groupe » (slides N°8-10), closing a membership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from conventions.forms import AddToGroupForm
from conventions.group_rows import group_rows
from conventions.scoping import (
    closing_page,
    convention_page,
    get_membership_for_admin,
    render_convention_page,
)
from conventions.services import add_to_group, close_membership, members_by_group


@convention_page
def group_list(request, convention):
    groups = members_by_group(convention)
    context = {"groups": groups, "drawn": group_rows(convention, groups)}
    return render_convention_page(request, convention, "conventions/groups/list.html", context)


@convention_page
def group_add_user(request, convention):
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
    return render_convention_page(request, convention, "conventions/groups/add_user.html", {"form": form})


@convention_page
def membership_close(request, convention, membership_pk):
    membership = get_membership_for_admin(convention, membership_pk)
    return closing_page(
        request,
        convention,
        "conventions/groups/close_membership.html",
        {"membership": membership},
        close=lambda: close_membership(membership, by=request.user),
        success=f"{membership.user} ne fait plus partie du groupe « {membership.group.libelle} ».",
        back_to="conventions:groups",
    )
