"""The approbateur's actions: « Transmettre à la Caf » after a summary, « Retourner pour correction »."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from afas.models import State
from core.errors import confirmed, perform

from . import services
from .access import get_declaration_for_user
from .forms import CommentForm
from .recap import declaration_recap


def get_declaration_for_approbateur(user, pk):
    declaration, access = get_declaration_for_user(user, pk)
    if not access.approbateur:
        raise Http404
    return declaration


def awaits_approval(request, declaration, done):
    """Whether the declaration awaits the approbateur's decision; if not, a message says why `done`
    (« transmise », …) cannot be."""
    refusal = services.state_refusal(declaration, State.A_APPROUVER, done)
    if refusal:
        messages.error(request, refusal)
    return not refusal


def return_form(request, declaration, actor, success):
    """The « Retourner pour correction » form, the approbateur's and the Caf's: None once its POST is handled
    (returned, or the refusal told), so that the caller redirects; else the form to show."""
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        perform(
            request,
            lambda: services.return_for_correction(declaration, request.user, comment, actor, request),
            success,
        )
        return None
    return form


def transmit(request, pk):
    declaration = get_declaration_for_approbateur(request.user, pk)
    if not awaits_approval(request, declaration, "transmise"):
        return redirect("afas:declaration", pk)
    if confirmed(
        request,
        lambda: services.transmit(declaration, request.user, request),
        "La déclaration est transmise à la Caf. Elle n'est plus modifiable. Son accusé de réception est sur cette page.",
    ):
        return redirect("afas:declaration", pk)
    context = {"declaration": declaration, **declaration_recap(declaration)}
    return render(request, "afas/declarations/transmit.html", context)


def return_for_correction(request, pk):
    declaration = get_declaration_for_approbateur(request.user, pk)
    if not awaits_approval(request, declaration, "retournée pour correction"):
        return redirect("afas:declaration", pk)
    form = return_form(
        request,
        declaration,
        services.APPROBATEUR,
        "La déclaration est retournée aux fournisseurs de données pour correction.",
    )
    if form is None:
        return redirect("afas:declaration", pk)
    return render(request, "afas/declarations/return.html", {"declaration": declaration, "form": form})
