"""« Revue des habilitations »: the partner administrator in AFAS-HABILITER confirms or ends each line
of their organisme before the campaign's date limite (issue 14, rule 20)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from conventions.rights import habilitation_manager_required
from core.client_ip import client_ip
from core.errors import Refused

from . import services

PAGE_SIZE = 50


def get_review_for_admin(user, pk):
    # 404, not 403: an outsider must not learn that the id exists
    return get_object_or_404(services.reviews_of(user), pk=pk)


@habilitation_manager_required
@require_GET
def review_list(request):
    today = timezone.localdate()
    reviews = list(services.reviews_of(request.user).filter(opens_on__lte=today))
    return render(request, "afas/reviews/list.html", {"reviews": reviews, "today": today})


@habilitation_manager_required
@require_GET
def review_detail(request, pk):
    review = get_review_for_admin(request.user, pk)
    organismes = services.organismes_reviewed_by(review, request.user)
    users = services.users_with_lines(review, organismes)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page:
        for line in person.review_habilitations + person.review_memberships:
            services.describe_line(line)
    return render(
        request,
        "afas/reviews/detail.html",
        {"review": review, "page": page, "is_open": review.is_open()},
    )


def _decide(request, pk, decide, success):
    review = get_review_for_admin(request.user, pk)
    organismes = services.organismes_reviewed_by(review, request.user)
    only = request.POST.get("only")
    user_pk = request.POST.get("user", "")
    selection = services.select_lines(
        review,
        organismes,
        values=[only] if only else request.POST.getlist("line"),
        user_pk=int(user_pk) if user_pk.isdigit() and not only else None,
        everything=request.POST.get("all") == "1" and not only,
    )
    try:
        done = decide(review, selection, by=request.user, ip_address=client_ip(request))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success(done))
    url = reverse("afas:review", args=[review.pk])
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@habilitation_manager_required
@require_POST
def review_confirm(request, pk):
    """« Confirmer »: the checked lines, every line of one user, or every line still to review."""
    return _decide(
        request, pk, services.confirm_lines, lambda done: f"{done} ligne(s) confirmée(s) pour cette revue."
    )


@habilitation_manager_required
@require_POST
def review_end(request, pk):
    """« Terminer »: ended today; an habilitation moves to « Historique », a membership is closed."""
    return _decide(
        request,
        pk,
        services.end_lines,
        lambda done: f"{done} ligne(s) terminée(s) à la date du jour : elles passent en « Historique ».",
    )
