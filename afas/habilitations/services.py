"""The rules of AFAS habilitations (DOMAIN.md rules 3 to 7): granting, ending, the Caf's decision.

Every change writes an AuditEvent. Views and the back-office only call these functions."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from conventions.models import Convention, ConventionAdministrator, HabilitationGroup, Membership
from core.admin_scoping import is_agent_of
from core.errors import Refused
from core.links import absolute_url
from core.mail import send_portal_mail

from ..models import AuditAction, AuditEvent, Habilitation, Role
from ..models.habilitations import may_be_scoped_on_a_lieu

CafDecision = Habilitation.CafDecision
DEBUT_IN_THE_PAST = "La date « À partir du » ne peut pas être dans le passé."


def record(action, actor, habilitation=None, subject=None, ip_address=None, **details):
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        habilitation=habilitation,
        subject=subject or (habilitation.user if habilitation else None),
        ip_address=ip_address,
        details=details,
    )


def declarants(on=None):
    """Rule 3: open users currently in AFAS-DECLARER, the only ones who can be habilitated."""
    on = on or timezone.localdate()
    memberships = Membership.objects.current(on).filter(group__code=HabilitationGroup.DECLARER)
    return User.objects.open(on).filter(pk__in=memberships.values("user"))


def habilitable_users(organisme, on=None):
    return declarants(on).filter(organisme=organisme)


def describe(habilitation):
    return f"« {habilitation.get_role_display()} » sur {habilitation.scope_label}"


def debut_refusal(debut):
    """A habilitation starts today or later."""
    return DEBUT_IN_THE_PAST if debut < timezone.localdate() else None


def lieu_refusal(role):
    """Rule 4: only a Fr DA is granted on a lieu d'implantation."""
    if may_be_scoped_on_a_lieu(role):
        return None
    return (
        f"Le rôle « {Role(role).label} » s'attribue uniquement sur des activités, jamais sur un lieu "
        "d'implantation : choisissez « des activités »."
    )


def foreign_scopes_refusal(organisme, activites=(), lieux=()):
    """Every activité and lieu granted belongs to the partner chosen."""
    foreign = [a for a in activites if a.organisme_id != organisme.pk]
    foreign += [lieu for lieu in lieux if lieu.activite.organisme_id != organisme.pk]
    if not foreign:
        return None
    return (
        f"Ces portées n'appartiennent pas au partenaire {organisme} : ne cochez que ses activités et ses "
        "lieux d'implantation."
    )


def check_grant(*, organisme, user, role, debut, activites=(), lieux=()):
    """Every rule of a grant, all at once: returns the list of French messages (empty = allowed)."""
    errors = []
    today = timezone.localdate()
    if not habilitable_users(organisme, today).filter(pk=user.pk).exists():
        errors.append(
            f"{user} n'appartient pas au groupe AFAS-DECLARER du partenaire {organisme} : "
            "seuls ses utilisateurs déclarants peuvent être habilités."
        )
    refusals = [debut_refusal(debut), lieu_refusal(role) if lieux else None]
    if not activites and not lieux:
        refusals.append("La sélection d'au moins une activité ou d'un lieu d'implantation est obligatoire.")
    refusals.append(foreign_scopes_refusal(organisme, activites, lieux))
    errors += [refusal for refusal in refusals if refusal]
    scopes = [(a, None) for a in activites] + [(lieu.activite, lieu) for lieu in lieux]
    for activite, lieu in scopes:
        for existing in Habilitation.objects.overlapping(user, role, activite, lieu, debut).select_related(
            "activite", "lieu"
        ):
            since = existing.debut.strftime("%d/%m/%Y")
            errors.append(
                f"{user} a déjà l'habilitation {describe(existing)} à partir du {since} : "
                "elle chevauche celle demandée."
            )
    return errors


def grant_habilitations(*, granted_by, organisme, user, role, debut, activites=(), lieux=(), ip_address=None):
    """One habilitation per scope, in one transaction: all or nothing. An approbateur waits for the Caf."""
    errors = check_grant(
        organisme=organisme, user=user, role=role, debut=debut, activites=activites, lieux=lieux
    )
    if errors:
        raise Refused(errors)
    decision = CafDecision.PENDING if role == Role.APPROBATEUR else CafDecision.NOT_REQUIRED
    # What the habilitations granted together share; each has its own scope.
    granted = {"user": user, "role": role, "debut": debut, "granted_by": granted_by, "caf_decision": decision}
    created = []
    try:
        with transaction.atomic():
            scopes = [(a, None) for a in activites] + [(lieu.activite, lieu) for lieu in lieux]
            for activite, lieu in scopes:
                habilitation = Habilitation.objects.create(activite=activite, lieu=lieu, **granted)
                record(
                    AuditAction.GRANT,
                    granted_by,
                    habilitation,
                    ip_address=ip_address,
                    scope=habilitation.scope_label,
                )
                created.append(habilitation)
    except IntegrityError:
        # Someone saved the same habilitation between the checks and these inserts (two administrators at
        # once): the database constraint refused it and the transaction rolled everything back.
        raise Refused(
            "Une habilitation identique vient d'être enregistrée par un autre administrateur : rien n'a été "
            "enregistré. Relancez la recherche pour la voir."
        ) from None
    return created


def end_habilitation(habilitation, *, ended_by, ip_address=None, action=AuditAction.END):
    """Rule 7: « supprimer » ends it today (fin = today, the first day it no longer applies). The row is
    locked and read again first: ten « Supprimer » sent at once (or a page older than the end) end it once
    and write one event; the others are refused."""
    with transaction.atomic():
        current = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
        if current.is_ended():
            raise Refused("Cette habilitation est déjà terminée.")
        habilitation.fin = max(timezone.localdate(), current.debut)
        habilitation.ended_by = ended_by
        habilitation.ended_at = timezone.now()
        habilitation.save(update_fields=["fin", "ended_by", "ended_at"])
        record(action, ended_by, habilitation, ip_address=ip_address, fin=habilitation.fin.isoformat())
    return habilitation


def suspend_habilitation(habilitation, *, agent, ip_address=None):
    """A Caf agent stops any habilitation of their Caf at once."""
    check_agent_of(agent, habilitation)
    return end_habilitation(habilitation, ended_by=agent, ip_address=ip_address, action=AuditAction.SUSPEND)


def check_agent_of(agent, habilitation):
    if not is_agent_of(agent, habilitation.activite.organisme.caf_id):
        raise Refused("Seul un agent de la Caf du partenaire peut décider de cette habilitation.")


AUDIT_OF_DECISION = {CafDecision.VALIDATED: AuditAction.VALIDATED, CafDecision.REFUSED: AuditAction.REFUSED}


def _decide(habilitation, *, agent, decision, motif="", ip_address=None, request=None):
    check_agent_of(agent, habilitation)
    if not habilitation.is_pending or habilitation.is_ended():
        raise Refused(f"L'habilitation {describe(habilitation)} n'est pas en attente de validation.")
    habilitation.caf_decision = decision
    habilitation.decided_by = agent
    habilitation.decided_at = timezone.now()
    habilitation.refusal_motif = motif
    with transaction.atomic():
        habilitation.save(update_fields=["caf_decision", "decided_by", "decided_at", "refusal_motif"])
        details = {"motif": motif} if motif else {}
        record(AUDIT_OF_DECISION[decision], agent, habilitation, ip_address=ip_address, **details)
    notify_administrators(habilitation, request=request)
    return habilitation


def validate_approbateur(habilitation, *, agent, ip_address=None, request=None):
    return _decide(
        habilitation, agent=agent, decision=CafDecision.VALIDATED, ip_address=ip_address, request=request
    )


def refuse_approbateur(habilitation, *, agent, motif, ip_address=None, request=None):
    motif = (motif or "").strip()
    if not motif:
        raise Refused("Le motif du refus est obligatoire.")
    return _decide(
        habilitation,
        agent=agent,
        decision=CafDecision.REFUSED,
        motif=motif,
        ip_address=ip_address,
        request=request,
    )


def partner_administrators(organisme, on=None):
    on = on or timezone.localdate()
    rows = ConventionAdministrator.objects.current(on).filter(
        convention__in=Convention.objects.administrable(on).filter(organisme=organisme)
    )
    return User.objects.open(on).filter(pk__in=rows.values("user"))


def notify_administrators(habilitation, request=None):
    from django.urls import reverse

    recipients = [u.email for u in partner_administrators(habilitation.activite.organisme) if u.email]
    if not recipients:
        return
    path = reverse("afas:habilitations")
    link = absolute_url(path, request)
    send_portal_mail(
        "habilitation_decision",
        recipients,
        {
            "habilitation": habilitation,
            "link": link,
            "validated": habilitation.caf_decision == CafDecision.VALIDATED,
        },
    )
