"""« Administration des profils »: search, grant and end AFAS habilitations (slides N°11-22)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.reauth import recently_reauthenticated, redirect_to_reauth
from conventions.rights import administered_partners, habilitation_manager_required
from core.client_ip import client_ip
from core.errors import Refused, confirmed
from core.fragments import REFERENCE_SCOPE, cached_fragment, partner_scope
from core.typography import de

from ..models import Etat, Habilitation, Role
from .filters import HabilitationSearchForm, search_results
from .forms import ACTIVITES, LIEUX, MULTIPLE, GrantForm
from .services import end_habilitation, grant_habilitations


def get_managed_habilitation(user, pk):
    # 404, not 403: an outsider must not learn that the id exists
    return get_object_or_404(
        Habilitation.objects.managed_by(user).select_related("user", "activite__organisme", "lieu"), pk=pk
    )


def search_url(**params):
    return f"{reverse('afas:habilitations')}?{urlencode(params)}"


@habilitation_manager_required
def habilitations(request):
    """« Habilitations d'action sociale »: état is required, so nothing is listed before a search.

    The page's content (the form with its lists, the results and their pagination) is kept in the shared
    cache (core/fragments.py) under the tokens of the administered partners' data (users, group
    memberships, activités, lieux, habilitations: every save or delete of one drops its partner's token)
    and of the reference lists, the administrator's rights_version (the partners' names), the day (the
    état of an habilitation) and the query: the same search again reads and draws nothing."""
    user = request.user
    partners = administered_partners(user)
    content = cached_fragment(
        "habilitations-search",
        [*(partner_scope(pk) for pk in partners), REFERENCE_SCOPE],
        [partners, user.pk, user.rights_version, timezone.localdate(), request.GET.urlencode()],
        lambda: render_to_string("afas/habilitations/_search.html", _search(request, partners), request),
    )
    return render(request, "afas/habilitations/search.html", {"content": content})


def _search(request, partners):
    initial = {}
    if len(partners) == 1:
        initial["partenaire"] = partners[0]
    form = HabilitationSearchForm(request.user, request.GET or None, initial=initial)
    page = groups = None
    if form.is_bound and form.is_valid():
        page, groups = search_results(request.user, form.cleaned_data, request.GET.get("page"))
    return {
        "form": form,
        "page": page,
        "groups": groups,
        "etat": form.cleaned_data.get("etat") if groups is not None else "",
        "Etat": Etat,
    }


def _initial_from(querydict):
    return {
        name: querydict.getlist(name) if name in MULTIPLE else querydict.get(name)
        for name in querydict
        if name not in ("csrfmiddlewaretoken", "action")
    }


SAVE_ACTIONS = ("enregistrer", "enregistrer_quitter")


@habilitation_manager_required
def habilitation_grant(request):
    """« Habiliter un utilisateur »: one form, one page. « Enregistrer » and « Enregistrer et quitter »
    save; the « Afficher… » and « Sélectionner tous… » buttons only redisplay it (no JavaScript needed)."""
    if request.method != "POST":
        return show_grant_form(request)
    if request.POST.get("action") in SAVE_ACTIONS:
        return save_grant(request)
    return redisplay_grant_form(request)


def render_grant_form(request, form, show_list):
    listing = form.listing_html() if show_list else ""
    return render(
        request, "afas/habilitations/grant.html", {"form": form, "show_list": show_list, "listing": listing}
    )


def show_grant_form(request):
    """The empty form; GET parameters pre-fill it (from « Non attribué », or after « Enregistrer »)."""
    initial = _initial_from(request.GET)
    return render_grant_form(request, GrantForm(request.user, initial=initial), show_list="portee" in initial)


def redisplay_grant_form(request):
    """« Afficher les activités / les lieux d'implantation » and « Sélectionner tous… »: the same form with
    what was chosen, the list shown and the boxes ticked server-side."""
    form = GrantForm(request.user, initial=_initial_from(request.POST))
    select_in_bulk(form, request.POST.get("action", ""))
    return render_grant_form(request, form, show_list=True)


def select_in_bulk(form, action):
    initial = form.initial
    if action.startswith("afficher_"):
        initial["portee"] = LIEUX if action == "afficher_lieux" else ACTIVITES
        return
    listed = form.listed_activites()
    if action == "tout_activites":
        initial["activites"] = [str(a.pk) for a in listed]
    elif action == "tout_lieux":
        initial["lieux"] = [str(lieu.pk) for a in listed for lieu in a.lieux.all()]
    elif action.startswith("tout_lieux_"):
        activite_id = action.removeprefix("tout_lieux_")
        chosen = set(initial.get("lieux") or [])
        chosen |= {str(lieu.pk) for a in listed if str(a.pk) == activite_id for lieu in a.lieux.all()}
        initial["lieux"] = sorted(chosen)


def save_grant(request):
    """« Enregistrer »: back to an empty form for the same user; « Enregistrer et quitter »: to the search
    of their habilitations. Refused: the page again, with the reasons and nothing typed lost."""
    form = GrantForm(request.user, request.POST)
    if not form.is_valid():
        return render_grant_form(request, form, show_list=True)
    data = form.cleaned_data
    if data["role"] == Role.APPROBATEUR and not recently_reauthenticated(request):
        # Granting an Approbateur is a sensitive action (issue 13): the identity is confirmed first, then
        # the form comes back for the same partner and user.
        params = {"organisme": data["organisme"].pk, "utilisateur": data["utilisateur"].pk}
        return redirect_to_reauth(request, f"{reverse('afas:habilitation_grant')}?{urlencode(params)}")
    try:
        created = grant_habilitations(
            granted_by=request.user,
            organisme=data["organisme"],
            user=data["utilisateur"],
            role=data["role"],
            debut=data["debut"],
            activites=list(data["activites"]),
            lieux=list(data["lieux"]),
            ip_address=client_ip(request),
        )
    except Refused as error:
        form.add_error(None, error)
        return render_grant_form(request, form, show_list=True)
    messages.success(request, _created_message(created))
    if request.POST["action"] == "enregistrer_quitter":
        etat = Habilitation.objects.with_etat().values_list("etat_on", flat=True).get(pk=created[0].pk)
        return redirect(
            search_url(partenaire=data["organisme"].pk, utilisateur=data["utilisateur"].pk, etat=etat)
        )
    params = {"organisme": data["organisme"].pk, "utilisateur": data["utilisateur"].pk}
    return redirect(f"{reverse('afas:habilitation_grant')}?{urlencode(params)}")


def _created_message(created):
    first = created[0]
    scopes = ", ".join(h.scope_label for h in created)
    text = f"Habilitation(s) créée(s) pour {first.user} au rôle {de(first.get_role_display())} : {scopes}."
    if first.role == Role.APPROBATEUR:
        text += " (*) En attente de validation par votre CAF."
    return text


def _ended_message(habilitation):
    ended = (
        f"est terminée le {habilitation.fin:%d/%m/%Y}"
        if habilitation.fin <= timezone.localdate()
        else "est annulée avant son début : elle n'entrera pas en vigueur"
    )
    return (
        f"L'habilitation « {habilitation.get_role_display()} » {de(habilitation.user)} sur "
        f"{habilitation.scope_label} {ended}. Elle figure désormais dans l'état « Historique »."
    )


@habilitation_manager_required
def habilitation_end(request, pk):
    """The « Action » button: confirm, then end the habilitation today (it moves to Historique)."""
    habilitation = get_managed_habilitation(request.user, pk)
    if confirmed(
        request,
        lambda: end_habilitation(habilitation, ended_by=request.user, ip_address=client_ip(request)),
        lambda: _ended_message(habilitation),
    ):
        return redirect(
            search_url(
                partenaire=habilitation.activite.organisme_id,
                utilisateur=habilitation.user_id,
                etat=Etat.HISTORIQUE,
            )
        )
    # « Annuler » leads back to the état the habilitation is listed under.
    back = search_url(
        partenaire=habilitation.activite.organisme_id,
        utilisateur=habilitation.user_id,
        etat=habilitation.etat(),
    )
    return render(request, "afas/habilitations/end.html", {"habilitation": habilitation, "back_url": back})
