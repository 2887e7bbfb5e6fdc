"""The approbateur's actions: « Transmettre à la Caf » after a summary, « Retourner pour correction »."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from afas.models import State
from core.errors import Refused

from . import services
from .access import get_declaration_for_user
from .forms import CommentForm
from .recap import declaration_recap


def get_declaration_for_approbateur(user, pk):
    declaration, access = get_declaration_for_user(user, pk)
    if not access.approbateur:
        raise Http404
    return declaration


def transmit(request, pk):
    declaration = get_declaration_for_approbateur(request.user, pk)
    if declaration.state != State.A_APPROUVER:
        messages.error(
            request,
            f"La déclaration est « {declaration.get_state_display()} » : elle ne peut pas être transmise.",
        )
        return redirect("afas:declaration", pk)
    if request.method == "POST":
        try:
            services.transmit(declaration, request.user, request)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "La déclaration est transmise à la Caf. Elle n'est plus modifiable.")
        return redirect("afas:declaration", pk)
    context = {"declaration": declaration, **declaration_recap(declaration)}
    return render(request, "afas/declarations/transmit.html", context)


def return_for_correction(request, pk):
    declaration = get_declaration_for_approbateur(request.user, pk)
    if declaration.state != State.A_APPROUVER:
        messages.error(
            request,
            f"La déclaration est « {declaration.get_state_display()} » : elle ne peut pas être retournée pour correction.",
        )
        return redirect("afas:declaration", pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_for_correction(
                declaration, request.user, form.cleaned_data["comment"], services.APPROBATEUR, request
            )
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, "La déclaration est retournée aux fournisseurs de données pour correction."
            )
        return redirect("afas:declaration", pk)
    return render(request, "afas/declarations/return.html", {"declaration": declaration, "form": form})
