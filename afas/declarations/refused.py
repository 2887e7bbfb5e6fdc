"""A save refused (a conflict, or the declaration left the partner's hands) answers with a redirect to the
declaration page, not with a page that a reload would post again. What was typed rides in the session,
under a token put in the URL: reloading that URL shows it again; the plain page does not."""

import secrets

from django.http import QueryDict
from django.urls import reverse

SESSION_KEY = "refused_saves"
KEPT = 5  # a few refused saves at most per session, the oldest dropped


def keep_refused(request, declaration, kind, part, data, conflict):
    """Stores the typed values and returns the URL of the page that shows them."""
    token = secrets.token_urlsafe(8)
    kept = request.session.get(SESSION_KEY, {})
    kept = dict(list(kept.items())[-(KEPT - 1) :])
    post = data.copy()
    post.pop("csrfmiddlewaretoken", None)
    kept[token] = {
        "declaration": declaration.pk,
        "kind": kind,
        "part": part.pk,
        "data": post.urlencode(),
        "conflict": conflict,
    }
    request.session[SESSION_KEY] = kept
    url = reverse("afas:declaration", args=[declaration.pk])
    return f"{url}?saisie={token}#partie-{kind}-{part.pk}"


def refused_save(request, declaration):
    """(kind, part pk, posted data, whether it was a conflict) of the refused save named in the URL."""
    kept = request.session.get(SESSION_KEY, {}).get(request.GET.get("saisie", ""))
    if not kept or kept["declaration"] != declaration.pk:
        return None
    return kept["kind"], kept["part"], QueryDict(kept["data"], mutable=True), kept["conflict"]
