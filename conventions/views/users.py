"""« Liste des utilisateurs » of a convention, and creating, modifying, closing a user (slides N°7-8), and
the history of their account."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect

from accounts.models import User
from accounts.services import (
    mail_allowed,
    mail_limited_message,
    pending_email_message,
    request_email_change,
    send_activation_mail,
)
from conventions.filters import PartnerUserFilter, empty_filter_block
from conventions.forms import PartnerUserForm
from conventions.history import partner_user_history
from conventions.partner_data import GROUPS_SCOPE
from conventions.scoping import closing_page, convention_page, convention_user_page, render_convention_page
from conventions.services import close_user, create_partner_user, update_partner_user
from conventions.user_rows import user_rows
from core.typography import de

USERS_PER_PAGE = 20
USERS_FILTER_LEGEND = "Filtrer utilisateur par :"
HISTORY_PER_PAGE = 50


# The columns the list shows: the page's users are read without the other twenty.
LISTED = ["identifiant", "nom", "prenom", "email", "telephone", "date_ouverture", "date_cloture"]


@convention_page
def user_list(request, convention):
    users = User.objects.filter(organisme=convention.organisme_id).order_by("nom", "prenom", "identifiant")
    filterset = PartnerUserFilter(request.GET or None, queryset=users)
    page = Paginator(filterset.qs.only(*LISTED), USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "rows": user_rows(convention, page)}
    # Before any search, the block is kept under the groups' token (its « Sélectionner un groupe » list).
    context["filter_html"] = empty_filter_block(
        request, filterset, USERS_FILTER_LEGEND, "users-filter", [GROUPS_SCOPE], []
    )
    return render_convention_page(request, convention, "conventions/users/list.html", context)


@convention_page
def user_create(request, convention):
    form = PartnerUserForm(request.POST or None, convention=convention)
    if form.is_valid():
        user = create_partner_user(groups=form.cleaned_data["groups"], by=request.user, **form.user_fields())
        send_activation_mail(request, user)
        messages.success(
            request,
            f"L'utilisateur {user} est créé avec l'identifiant {user.identifiant}. Il reçoit par mail "
            "son identifiant et un lien pour choisir son mot de passe.",
        )
        return redirect("conventions:users", pk=convention.pk)
    return render_convention_page(request, convention, "conventions/users/form.html", {"form": form})


@convention_user_page
def user_update(request, convention, user):
    form = PartnerUserForm(request.POST or None, instance=user, convention=convention)
    context = {"form": form, "edited": user}
    if form.is_valid() and form.email_to_confirm and not mail_allowed(request, user.identifiant):
        form.add_error("email", mail_limited_message())  # nothing saved: the whole form comes back
        return render_convention_page(request, convention, "conventions/users/form.html", context, status=429)
    if form.is_valid():
        update_partner_user(user, by=request.user, **form.user_fields())
        messages.success(request, f"Les informations {de(user)} sont enregistrées.")
        if form.email_to_confirm:
            request_email_change(request, user, form.email_to_confirm, requested_by=request.user)
            messages.info(request, pending_email_message(form.email_to_confirm))
        return redirect("conventions:users", pk=convention.pk)
    return render_convention_page(request, convention, "conventions/users/form.html", context)


@convention_user_page
def user_close(request, convention, user):
    """« Supprimer » closes the account after a confirmation page; nothing is erased."""
    return closing_page(
        request,
        convention,
        "conventions/users/close.html",
        {"closed_user": user},
        close=lambda: close_user(user, by=request.user),
        success=f"Le compte {de(user)} est fermé à compter d'aujourd'hui.",
        back_to="conventions:users",
    )


@convention_user_page
def user_history(request, convention, user):
    """« Historique » of a user of the organisme: who changed what and when, account and groups."""
    page = Paginator(partner_user_history(user), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    context = {"shown_user": user, "page": page}
    return render_convention_page(request, convention, "conventions/users/history.html", context)
