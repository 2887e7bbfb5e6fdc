"""The authorization matrix: every named URL of the portal, how to build its arguments from the scenario
(always B's ids, see scenario.py) and the status each profile gets, for a GET and for a POST with an empty
body and a valid CSRF token.

A named URL with no entry here makes tests/security/test_authorization_matrix.py fail, naming it.
To cover a new page, add one line to ROUTES, e.g.:

    "conventions:detail": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk},
        get=expect(404, anonymous=302, admin_b=200),   # A's people: 404, never B's data
        post=expect(405),
    ),

Back-office URLs ("admin:…") follow one rule, staff only (ADMIN_RULE), with their object ids taken from
ADMIN_OBJECT_IDS (B's object of that model) — add a line there when a branch registers a model.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .scenario import PROFILES


def expect(default, **statuses):
    """Expected status per profile: `default` for every profile not named. A status may be a tuple of
    accepted statuses."""
    unknown = set(statuses) - set(PROFILES)
    assert not unknown, f"profils inconnus : {unknown}"
    return {profile: statuses.get(profile, default) for profile in PROFILES}


SIGNED_IN = expect(200, anonymous=302)


def no_kwargs(scenario):
    return {}


@dataclass(frozen=True)
class Route:
    get: dict
    post: dict
    kwargs: Callable = no_kwargs
    # Profiles whose empty POST may change rows (a page acting on the signed-in user's own data).
    may_change: frozenset = frozenset()


def uidb64(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


ROUTES = {
    "home": Route(get=expect(200), post=expect(200)),
    "healthz": Route(get=expect(200), post=expect(200)),
    "accounts:login": Route(get=expect(302, anonymous=200), post=expect(302, anonymous=200)),
    "accounts:logout": Route(get=expect(405), post=expect(302)),
    "accounts:welcome": Route(get=SIGNED_IN, post=SIGNED_IN),
    "accounts:activate": Route(
        kwargs=lambda s: {"uidb64": uidb64(s.b.admin), "token": "c8m1q5-0123456789abcdef0123456789abcdef"},
        get=expect(200),  # « Ce lien n'est plus valable », whoever asks
        post=expect(200),
    ),
}

# ----- Back-office: staff only. Everyone but the agent is sent to the back-office sign-in page; the agent
# of another Caf may get the page, a redirect, a refusal or a 404, but never B's data nor a 5xx.
AGENT_MAY_GET = (200, 302, 403, 404, 405)
ADMIN_RULE = Route(
    get=expect(302, agent_other_caf=AGENT_MAY_GET), post=expect(302, agent_other_caf=AGENT_MAY_GET)
)
ADMIN_ROUTES = {
    "admin:login": Route(get=expect(200, agent_other_caf=302), post=expect(200)),
}

# "<app_label>_<model>" -> B's object of that model, for the change / delete / history URLs.
ADMIN_OBJECT_IDS = {
    "accounts_user": lambda s: s.b.declarant.pk,
    "conventions_organisme": lambda s: s.b.organisme.pk,
    "conventions_convention": lambda s: s.b.convention.pk,
    "conventions_conventionadministrator": lambda s: s.b.convention.administrators.get().pk,
    "conventions_membership": lambda s: s.b.declarant.memberships.first().pk,
    "afas_activite": lambda s: s.b.activite.pk,
    "afas_lieu": lambda s: s.b.lieu.pk,
    "afas_habilitation": lambda s: s.b.habilitation.pk,
}


def admin_kwargs(name, pattern):
    """Arguments of a back-office URL, from the names of its parameters."""
    model_key = name.removeprefix("admin:").rsplit("_", 1)[0]
    parameters = pattern.pattern.regex.groupindex

    def build(scenario):
        kwargs = {}
        if "object_id" in parameters and "content_type_id" not in parameters:
            kwargs["object_id"] = ADMIN_OBJECT_IDS.get(model_key, lambda s: 1)(scenario)
        if "content_type_id" in parameters:
            kwargs["content_type_id"] = ContentType.objects.get_for_model(scenario.b.declarant).pk
            kwargs["object_id"] = scenario.b.declarant.pk
        if "app_label" in parameters:
            labels = pattern.pattern.regex.pattern.split("(?P<app_label>")[1].split(")")[0].split("|")
            kwargs["app_label"] = "conventions" if "conventions" in labels else labels[0]
        return kwargs

    return build


def route_for(name, pattern):
    """The matrix entry of a named URL, or None when it has none."""
    if name in ROUTES:
        return ROUTES[name]
    if name.startswith("admin:"):
        route = ADMIN_ROUTES.get(name, ADMIN_RULE)
        return Route(get=route.get, post=route.post, kwargs=admin_kwargs(name, pattern))
    return None
