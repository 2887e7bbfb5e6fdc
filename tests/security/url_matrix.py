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

from tests.accounts.factories import PasskeyFactory

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


def b_convention(scenario):
    return {"pk": scenario.b.convention.pk}


def b_declaration(scenario):
    return {"pk": scenario.b.declaration.pk}


def b_campaign(scenario):
    return {"campaign_pk": scenario.b.declaration.campaign_id}


def b_declaration_import(scenario):
    return {"campaign_pk": scenario.b.declaration.campaign_id, "import_pk": scenario.b.declaration_import.pk}


# Menu pages without an id: every partner administrator, each seeing only their own rows.
PARTNER_ADMIN_PAGE = expect(200, anonymous=302, declarant=403, agent_other_caf=403)
# A page of one of B's conventions: B's administrator only; another partner's administrator gets a 404
# (never a 403, that would confirm the id), someone without the right a 403.
B_CONVENTION_PAGE = expect(404, anonymous=302, declarant=403, admin_b=200, agent_other_caf=403)
# AFAS pages of any declarant or habilitation manager.
AFAS_PAGE = expect(200, anonymous=302, agent_other_caf=403)
HABILITATION_MANAGER_PAGE = expect(403, anonymous=302, admin_a=200, admin_b=200)
# B's declaration: only who holds a habilitation on its activité (B's administrator, in the scenario).
B_DECLARATION_PAGE = expect(404, anonymous=302, admin_b=200)
POST_ONLY = expect(405, anonymous=302)
B_CAMPAIGN_IMPORT_PAGE = expect(404, anonymous=302, admin_b=200, agent_other_caf=403)
# A passkey of B's administrator: only they may rename or remove it (an empty POST: back to the page, or
# to « Confirmer mon identité »); anyone else gets a 404.
B_ADMIN_PASSKEY = expect(404, anonymous=302, admin_b=302)


def b_admin_passkey(scenario):
    return {"pk": PasskeyFactory(user=scenario.b.admin).pk}


ROUTES = {
    "home": Route(get=expect(200), post=expect(200)),
    "healthz": Route(get=expect(200), post=expect(200)),
    "readyz": Route(get=expect(200), post=expect(200)),
    # footer pages: public, read-only
    "pages:accessibility": Route(get=expect(200), post=expect(405)),
    "pages:legal_notice": Route(get=expect(200), post=expect(405)),
    "pages:privacy": Route(get=expect(200), post=expect(405)),
    "pages:usage_rules": Route(get=expect(200), post=expect(405)),
    # accounts
    "accounts:login": Route(get=expect(302, anonymous=200), post=expect(302, anonymous=200)),
    "accounts:logout": Route(get=expect(405), post=expect(302)),
    "accounts:welcome": Route(get=SIGNED_IN, post=SIGNED_IN),
    # « Rester connecté »: records activity in the signed-in user's own session, nothing else
    "accounts:keep_alive": Route(get=expect(405), post=expect(200, anonymous=401)),
    "accounts:activate": Route(
        kwargs=lambda s: {"uidb64": uidb64(s.b.admin), "token": "c8m1q5-0123456789abcdef0123456789abcdef"},
        get=expect(200),  # « Ce lien n'est plus valable », whoever asks
        post=expect(200),
    ),
    "accounts:password_update": Route(get=expect(200), post=expect(200)),
    "accounts:password_forgotten": Route(get=expect(200), post=expect(200)),
    "accounts:email_change": Route(get=SIGNED_IN, post=SIGNED_IN),
    # « Mes connexions »: the signed-in user's own sessions only
    "accounts:sessions": Route(get=SIGNED_IN, post=expect(405, anonymous=302)),
    "accounts:end_other_sessions": Route(get=expect(405, anonymous=302), post=expect(302)),
    "accounts:email_change_confirm": Route(
        kwargs=lambda s: {"token": "jeton-invalide"}, get=expect(400), post=expect(400)
    ),
    # the second factor: the code after the password only while it is awaited (else back to the portal),
    # re-authentication, « Sécuriser mon compte » and its actions on the signed-in user's own devices
    "accounts:second_factor": Route(get=expect(302), post=expect(302)),
    "accounts:reauth": Route(get=SIGNED_IN, post=SIGNED_IN),
    "accounts:security": Route(get=SIGNED_IN, post=SIGNED_IN),
    "accounts:security_enrol": Route(get=POST_ONLY, post=expect(302)),
    "accounts:security_recovery_codes": Route(get=POST_ONLY, post=expect(302)),
    "accounts:security_remove": Route(get=POST_ONLY, post=expect(302)),
    # without the browser's answer, the page again with its message
    "accounts:security_passkey_add": Route(get=POST_ONLY, post=SIGNED_IN),
    "accounts:security_passkey_rename": Route(kwargs=b_admin_passkey, get=POST_ONLY, post=B_ADMIN_PASSKEY),
    "accounts:security_passkey_remove": Route(kwargs=b_admin_passkey, get=POST_ONLY, post=B_ADMIN_PASSKEY),
    # conventions
    "conventions:list": Route(get=PARTNER_ADMIN_PAGE, post=PARTNER_ADMIN_PAGE),
    "conventions:organismes": Route(get=PARTNER_ADMIN_PAGE, post=PARTNER_ADMIN_PAGE),
    "conventions:partner_types": Route(get=PARTNER_ADMIN_PAGE, post=PARTNER_ADMIN_PAGE),
    "conventions:detail": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:edp": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:users": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:user_create": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:user_import_upload": Route(
        kwargs=b_convention, get=B_CONVENTION_PAGE, post={**B_CONVENTION_PAGE, "admin_b": 400}
    ),
    "conventions:user_import_template": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "fmt": "csv"},
        get=B_CONVENTION_PAGE,
        post=B_CONVENTION_PAGE,
    ),
    "conventions:user_import_detail": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "import_pk": s.b.user_import.pk},
        get=B_CONVENTION_PAGE,
        post=B_CONVENTION_PAGE,
    ),
    "conventions:user_import_confirm": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "import_pk": s.b.user_import.pk},
        get={**B_CONVENTION_PAGE, "admin_a": 405, "admin_b": 405, "admin_without_habiliter": 405},
        post={**B_CONVENTION_PAGE, "admin_b": 302},  # B's administrator confirms B's import
    ),
    "conventions:user_update": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "user_pk": s.b.declarant.pk},
        get=B_CONVENTION_PAGE,
        post=B_CONVENTION_PAGE,
    ),
    "conventions:user_close": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "user_pk": s.b.declarant.pk},
        get=B_CONVENTION_PAGE,
        post={**B_CONVENTION_PAGE, "admin_b": 302},  # B's administrator closes B's user
    ),
    "conventions:user_history": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "user_pk": s.b.declarant.pk},
        get=B_CONVENTION_PAGE,
        post=B_CONVENTION_PAGE,
    ),
    "conventions:groups": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:group_add_user": Route(kwargs=b_convention, get=B_CONVENTION_PAGE, post=B_CONVENTION_PAGE),
    "conventions:membership_close": Route(
        kwargs=lambda s: {"pk": s.b.convention.pk, "membership_pk": s.b.membership.pk},
        get=B_CONVENTION_PAGE,
        post={**B_CONVENTION_PAGE, "admin_b": 302},
    ),
    # afas: habilitations
    "afas:supervision": Route(
        get=PARTNER_ADMIN_PAGE, post=expect(405, anonymous=302, declarant=403, agent_other_caf=403)
    ),
    "afas:habilitations": Route(get=HABILITATION_MANAGER_PAGE, post=HABILITATION_MANAGER_PAGE),
    "afas:habilitation_grant": Route(get=HABILITATION_MANAGER_PAGE, post=HABILITATION_MANAGER_PAGE),
    "afas:habilitation_end": Route(
        kwargs=lambda s: {"pk": s.b.habilitation.pk},
        get={**HABILITATION_MANAGER_PAGE, "admin_a": 404},
        post={**HABILITATION_MANAGER_PAGE, "admin_a": 404, "admin_b": 302},
    ),
    # afas: « Revue des habilitations » (issue 14): B's campaign is B's administrator's only
    "afas:reviews": Route(
        get=HABILITATION_MANAGER_PAGE, post=expect(403, anonymous=302, admin_a=405, admin_b=405)
    ),
    "afas:review": Route(
        kwargs=lambda s: {"pk": s.b.review.pk},
        get={**HABILITATION_MANAGER_PAGE, "admin_a": 404},
        post=expect(403, anonymous=302, admin_a=405, admin_b=405),
    ),
    # an empty POST selects no line: « Cochez au moins une ligne », back to the review
    "afas:review_confirm": Route(
        kwargs=lambda s: {"pk": s.b.review.pk},
        get=expect(403, anonymous=302, admin_a=405, admin_b=405),
        post={**HABILITATION_MANAGER_PAGE, "admin_a": 404, "admin_b": 302},
    ),
    "afas:review_end": Route(
        kwargs=lambda s: {"pk": s.b.review.pk},
        get=expect(403, anonymous=302, admin_a=405, admin_b=405),
        post={**HABILITATION_MANAGER_PAGE, "admin_a": 404, "admin_b": 302},
    ),
    # afas: declarations
    "afas:home": Route(get=AFAS_PAGE, post=AFAS_PAGE),
    "afas:guide": Route(get=AFAS_PAGE, post=AFAS_PAGE),
    "afas:tutorial": Route(get=AFAS_PAGE, post=AFAS_PAGE),
    "afas:statistics": Route(get=AFAS_PAGE, post=AFAS_PAGE),
    # « Mes notifications »: the signed-in user's own mail preferences, no id; an empty POST unticks them all
    "afas:notifications": Route(
        get=SIGNED_IN,
        post=expect(302, anonymous=302),
        may_change=frozenset(PROFILES) - {"anonymous"},
    ),
    "afas:declarations": Route(get=AFAS_PAGE, post=AFAS_PAGE),
    "afas:declaration": Route(kwargs=b_declaration, get=B_DECLARATION_PAGE, post=B_DECLARATION_PAGE),
    "afas:declaration_activity": Route(
        kwargs=lambda s: {"pk": s.b.declaration.pk, "part_pk": s.b.activity_part.pk},
        get=POST_ONLY,
        # an empty POST carries no version: « modifiée pendant que vous saisissiez » for B's own, shown
        # after a redirect (a reload never posts again)
        post=expect(404, anonymous=302, admin_b=302),
    ),
    # B's administrator holds a Fr DA, not a Fr DF, and is no approbateur: 404 too
    "afas:declaration_financial": Route(kwargs=b_declaration, get=POST_ONLY, post=expect(404, anonymous=302)),
    "afas:declaration_transmit": Route(
        kwargs=b_declaration, get=expect(404, anonymous=302), post=expect(404, anonymous=302)
    ),
    "afas:declaration_return": Route(
        kwargs=b_declaration, get=expect(404, anonymous=302), post=expect(404, anonymous=302)
    ),
    # B's declaration was never transmitted: no receipt, even for B's administrator who may see it
    "afas:declaration_receipt": Route(
        kwargs=lambda s: {"pk": s.b.declaration.pk, "number": 1},
        get=expect(404, anonymous=302),
        post=expect(405, anonymous=302),
    ),
    # Import of données d'activité into B's campaign: only a Fr DA of one of its declarations (B's
    # administrator); a Fr DA of another partner gets a 404, someone who is no declarant a 403.
    "afas:declaration_import_upload": Route(
        kwargs=b_campaign,
        get=B_CAMPAIGN_IMPORT_PAGE,
        post={**B_CAMPAIGN_IMPORT_PAGE, "admin_b": 400},  # no file: the form says so
    ),
    "afas:declaration_import_template": Route(
        kwargs=lambda s: {**b_campaign(s), "fmt": "xlsx"},
        get=B_CAMPAIGN_IMPORT_PAGE,
        post=expect(405, anonymous=302),
    ),
    "afas:declaration_import_detail": Route(
        kwargs=b_declaration_import, get=B_CAMPAIGN_IMPORT_PAGE, post=expect(405, anonymous=302)
    ),
    "afas:declaration_import_confirm": Route(
        kwargs=b_declaration_import,
        get=POST_ONLY,
        # B's own import changes nothing (the check found nothing to change): refused with a message
        post={**B_CAMPAIGN_IMPORT_PAGE, "admin_b": 302},
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
    "afas_declaration": lambda s: s.b.declaration.pk,
    "afas_campaign": lambda s: s.b.declaration.campaign_id,
    "afas_accessreview": lambda s: s.b.review.pk,
    "afas_reviewdecision": lambda s: s.b.review_decision.pk,
    "afas_mailpreference": lambda s: s.b.mail_preference.pk,
    "afas_sentreminder": lambda s: s.b.sent_reminder.pk,
    "afas_receipt": lambda s: s.b.receipt.pk,
    "afas_declarationimport": lambda s: s.b.declaration_import.pk,
    "conventions_userimport": lambda s: s.b.user_import.pk,
    "afas_auditevent": lambda s: s.b.habilitation.audit_events.values_list("pk", flat=True).first() or 1,
}


def admin_kwargs(name, pattern):
    """Arguments of a back-office URL, from the names of its parameters."""
    model_key = name.removeprefix("admin:").rsplit("_", 1)[0]
    parameters = pattern.pattern.regex.groupindex

    def build(scenario):
        kwargs = {}
        for name in {"object_id", "pk"} & set(parameters):
            if "content_type_id" not in parameters:
                kwargs[name] = ADMIN_OBJECT_IDS.get(model_key, lambda s: 1)(scenario)
        if "version_id" in parameters:  # a version in the history of the object (core/admin_history.py)
            kwargs["version_id"] = 1
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
