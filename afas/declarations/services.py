"""The life of a declaration: creation by campaign, saving and completing its parts, transitions of state.

Every state change goes through `transition`, which refuses what TRANSITIONS does not list, writes the
history and keeps the statistics' rollup in step with what is validated (afas/declarations/rollup.py). Callers check who acts (afas/declarations/access.py, or the Caf agent's Caf) before calling.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from afas.models import Activite, ActivityData, Declaration, FinancialData, State, StateChange
from core.errors import Refused

from . import notifications, rollup
from .checks import normalise
from .receipts import issue_receipt
from .review import fields_of, review_activity, review_financial

PROVIDER, APPROBATEUR, CAF = "provider", "approbateur", "caf"

# (from, to): who may make the move.
TRANSITIONS = {
    (State.A_SAISIR, State.EN_COURS): PROVIDER,
    (State.A_CORRIGER, State.EN_COURS): PROVIDER,
    (State.EN_COURS, State.A_APPROUVER): PROVIDER,
    (State.A_APPROUVER, State.TRANSMISE): APPROBATEUR,
    (State.A_APPROUVER, State.A_CORRIGER): APPROBATEUR,
    (State.TRANSMISE, State.VALIDEE): CAF,
    (State.TRANSMISE, State.A_CORRIGER): CAF,
}
# A part saved again, or reopened for correction, is no longer marked complete.
NOT_COMPLETE = {"complete": False, "completed_by": None, "completed_at": None}
COMMENT_REQUIRED = "Le commentaire est obligatoire pour retourner une déclaration pour correction."


class ConcurrentEdit(Exception):
    """The part was saved by someone else since the form was displayed."""

    def __init__(self, current):
        self.current = current
        super().__init__("Concurrent edit")


def transition(declaration, to_state, by, actor, comment=""):
    if TRANSITIONS.get((declaration.state, to_state)) != actor:
        raise Refused(
            f"Une déclaration « {declaration.get_state_display()} » ne peut pas passer à l'état "
            f"« {State(to_state).label} »."
        )
    if to_state == State.A_CORRIGER and not comment.strip():
        raise Refused(COMMENT_REQUIRED)
    # The state in the WHERE clause: of two simultaneous moves, only the first one happens.
    if not Declaration.objects.filter(pk=declaration.pk, state=declaration.state).update(state=to_state):
        raise Refused("L'état de la déclaration a changé entre-temps. Rechargez la page.")
    StateChange.objects.create(
        declaration=declaration,
        from_state=declaration.state,
        to_state=to_state,
        by=by,
        comment=comment.strip(),
    )
    if declaration.state == State.VALIDEE:
        rollup.withdraw(declaration)
    declaration.state = to_state
    if to_state == State.VALIDEE:
        rollup.count(declaration)


def create_declaration(activite, type, exercice, campaign=None):
    """The declaration and its empty parts: one activity part per lieu, or one for the whole activité when
    it has a single lieu (or none)."""
    declaration = Declaration.objects.create(
        activite=activite, type=type, exercice=exercice, campaign=campaign
    )
    lieux = list(activite.lieux.all())
    if len(lieux) > 1:
        ActivityData.objects.bulk_create(ActivityData(declaration=declaration, lieu=lieu) for lieu in lieux)
    else:
        ActivityData.objects.create(declaration=declaration)
    FinancialData.objects.create(declaration=declaration)
    return declaration


@transaction.atomic
def open_campaign(campaign, by, request=None, notify=True):
    """Saves the campaign and creates the declarations « À saisir » of every activité of its type in its Caf;
    mails their providers and approbateurs once it is open. An activité that already has this declaration
    keeps it."""
    campaign.opened_by = by
    campaign.save()
    declarations = []
    activites = Activite.objects.filter(
        type=campaign.activity_type, organisme__caf=campaign.caf
    ).prefetch_related("lieux")
    for activite in activites:
        existing = Declaration.objects.filter(
            activite=activite, type=campaign.type, exercice=campaign.exercice
        ).first()
        if existing:
            if existing.campaign_id is None:
                existing.campaign = campaign
                existing.save(update_fields=["campaign"])
            continue
        declarations.append(create_declaration(activite, campaign.type, campaign.exercice, campaign))
    if notify:
        transaction.on_commit(lambda: notifications.notify_campaign_opened(campaign, request))
    return declarations


@transaction.atomic
def save_part(part, typed, justifications, version, by):
    """Saves a draft, whatever its content (nothing typed is lost): figures normalised, the rest as typed.
    Refuses a save based on an outdated version (someone saved meanwhile), any save before the campaign
    opens and once the declaration is out of the partner's hands."""
    declaration = part.declaration
    opens_on = declaration.opens_on
    if opens_on:
        raise Refused(campaign_not_open(opens_on))
    # One writer per declaration at a time, reading its current state: two providers saving or completing
    # at once would otherwise both try « À saisir » → « En cours », or each see the other's part still
    # incomplete so that the declaration never reaches « À approuver ».
    declaration.state = (
        Declaration.objects.select_for_update().values_list("state", flat=True).get(pk=declaration.pk)
    )
    refusal = not_editable(declaration)
    if refusal:
        raise Refused(refusal)
    model = type(part)
    now = timezone.now()
    values, rejected = normalise(fields_of(part), typed)
    saved = model.objects.filter(pk=part.pk, version=version).update(
        values=values,
        rejected=rejected,
        justifications=justifications,
        **NOT_COMPLETE,
        version=F("version") + 1,
        updated_by=by,
        updated_at=now,
    )
    if not saved:
        raise ConcurrentEdit(model.objects.select_related("updated_by").get(pk=part.pk))
    # What was just written, without reading it back.
    part.values, part.rejected, part.justifications = values, rejected, justifications
    for name, value in NOT_COMPLETE.items():
        setattr(part, name, value)
    part.version, part.updated_by, part.updated_at = version + 1, by, now
    if declaration.state in (State.A_SAISIR, State.A_CORRIGER):
        transition(declaration, State.EN_COURS, by, PROVIDER)
    return part


def not_editable(declaration):
    """Why the partner can no longer enter the declaration's data; None while they can."""
    if declaration.is_editable:
        return None
    return f"La déclaration est « {declaration.get_state_display()} » : elle n'est plus modifiable."


def review(part, context=None):
    if isinstance(part, FinancialData):
        return review_financial(part, context)
    return review_activity(part, context)


@transaction.atomic
def complete_part(part, values, justifications, version, by, request=None):
    """Saves, then marks complete if no blocking error and every alert is justified. Returns the review.
    When both parts are complete, the declaration goes « À approuver » and its approbateurs get a mail."""
    save_part(part, values, justifications, version, by)
    result = review(part)
    if not result.may_complete:
        return result
    part.complete, part.completed_by, part.completed_at = True, by, timezone.now()
    type(part).objects.filter(pk=part.pk).update(
        complete=True, completed_by=by, completed_at=part.completed_at
    )
    declaration = part.declaration
    if all_parts_complete(declaration):
        transition(declaration, State.A_APPROUVER, by, PROVIDER)
        transaction.on_commit(lambda: notifications.notify_to_approve(declaration, request))
    return result


def all_parts_complete(declaration):
    return (
        not declaration.activity_data.filter(complete=False).exists()
        and FinancialData.objects.filter(declaration=declaration, complete=True).exists()
    )


def state_refusal(declaration, required, done):
    """Why a page cannot make `done` (« transmise », « validée »…) of a declaration not in the `required`
    state; None when it is."""
    if declaration.state == required:
        return None
    return f"La déclaration est « {declaration.get_state_display()} » : elle ne peut pas être {done}."


def campaign_not_open(opens_on):
    return f"La campagne ouvre le {opens_on:%d/%m/%Y} : la déclaration ne peut pas encore être saisie."


@transaction.atomic
def transmit(declaration, by, request=None):
    """After the date limite too: the declaration is then « Hors délai » (its first transmission counts).
    Each transmission gets its accusé de réception, in the same transaction (rule 30)."""
    transition(declaration, State.TRANSMISE, by, APPROBATEUR)
    now = timezone.now()
    receipt = issue_receipt(declaration, by, now, request)
    if declaration.transmitted_at is None:
        declaration.transmitted_at = now
        Declaration.objects.filter(pk=declaration.pk, transmitted_at__isnull=True).update(
            transmitted_at=declaration.transmitted_at
        )
    transaction.on_commit(lambda: notifications.notify_transmitted(declaration, by, request, receipt))


@transaction.atomic
def return_for_correction(declaration, by, comment, actor, request=None):
    """By the approbateur (from « À approuver ») or the Caf (from « Transmise à la Caf »): the parts are
    reopened and the providers get the comment by mail."""
    transition(declaration, State.A_CORRIGER, by, actor, comment)
    declaration.activity_data.update(**NOT_COMPLETE)
    FinancialData.objects.filter(declaration=declaration).update(**NOT_COMPLETE)
    by_caf = actor == CAF
    transaction.on_commit(lambda: notifications.notify_returned(declaration, comment, by, request, by_caf))


@transaction.atomic
def validate(declaration, by, request=None):
    """By the Caf agent: the declaration and its figures in the statistics, in one transaction; its providers
    and approbateurs are told."""
    transition(declaration, State.VALIDEE, by, CAF)
    transaction.on_commit(lambda: notifications.notify_validated(declaration, by, request))
