"""The mails of the declarations: to the approbateurs, the providers, the Caf.

The mails that « Mes notifications » lists (MailKind) go only to who has not turned them off (rule 28)."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from afas.models import Habilitation, MailKind, MailPreference, Role, SentReminder
from conventions.models import Convention
from core.links import absolute_url
from core.mail import send_portal_mail


def absolute(request, url_name, *args):
    path = reverse(url_name, args=args)
    return absolute_url(path, request)


ALL_ROLES = [Role.FR_DA, Role.FR_DF, Role.APPROBATEUR]


def holders(activite_ids, roles, kind=None):
    """{user: [activite ids]} of the habilitations in force with these rôles on these activités (an open
    user, still in AFAS-DECLARER); without those who turned off mails of `kind`."""
    result = defaultdict(set)
    habilitations = (
        Habilitation.objects.in_force()
        .filter(activite_id__in=activite_ids, role__in=roles)
        .exclude(user__email="")
        .select_related("user")
    )
    if kind is not None:
        habilitations = habilitations.exclude(user__in=MailPreference.objects.turned_off(kind))
    for habilitation in habilitations:
        result[habilitation.user].add(habilitation.activite_id)
    return result


def notify_to_approve(declaration, request):
    for user in holders([declaration.activite_id], [Role.APPROBATEUR], MailKind.TO_APPROVE):
        send_portal_mail(
            "declaration_to_approve",
            [user.email],
            {
                "user": user,
                "declaration": declaration,
                "url": absolute(request, "afas:declaration", declaration.pk),
            },
        )


def notify_returned(declaration, comment, by, request, by_caf=False):
    """To the providers; returned by the Caf, to the approbateurs too (rule 29)."""
    roles = ALL_ROLES if by_caf else [Role.FR_DA, Role.FR_DF]
    for user in holders([declaration.activite_id], roles, MailKind.RETURNED):
        send_portal_mail(
            "declaration_returned",
            [user.email],
            {
                "user": user,
                "declaration": declaration,
                "comment": comment,
                "by": by,
                "url": absolute(request, "afas:declaration", declaration.pk),
            },
        )


def notify_validated(declaration, by, request=None):
    """To the providers and approbateurs of the activité (rule 29)."""
    for user in holders([declaration.activite_id], ALL_ROLES, MailKind.VALIDATED):
        send_portal_mail(
            "declaration_validated",
            [user.email],
            {
                "user": user,
                "declaration": declaration,
                "by": by,
                "url": absolute(request, "afas:declaration", declaration.pk),
            },
        )


def caf_addresses(declaration):
    """The Caf's address in the partner's convention, else its agents' addresses."""
    organisme = declaration.activite.organisme
    emails = set(
        Convention.objects.open()
        .filter(organisme=organisme)
        .exclude(email_caf="")
        .values_list("email_caf", flat=True)
    )
    if not emails:
        emails = set(
            User.objects.open()
            .filter(caf=organisme.caf_id, is_staff=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return sorted(emails)


def notify_transmitted(declaration, by, request, receipt):
    """To the Caf, with the number of the transmission's accusé de réception (rule 30)."""
    recipients = caf_addresses(declaration)
    if recipients:
        send_portal_mail(
            "declaration_transmitted",
            recipients,
            {
                "declaration": declaration,
                "by": by,
                "receipt": receipt,
                "url": absolute(request, "admin:afas_declaration_change", declaration.pk),
            },
        )


def record_sent(user, kind, declaration=None, campaign=None):
    """Writes that this mail goes out; False when it already went (a rerun, or a job running alongside:
    the unique constraint decides)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(user=user, kind=kind, declaration=declaration, campaign=campaign)
    except IntegrityError:
        return False
    return True


def notify_campaign_opened(campaign, request=None):
    """Once its opening date has come (the daily job sends it that day when the campaign was set up ahead),
    one mail per provider or approbateur of its activités, listing their declarations; once per campaign and
    user, so that someone habilitated later in the campaign gets it on the next run (rule 28). Returns the
    number of mails."""
    if not campaign.is_open_on(timezone.localdate()):
        return 0
    by_activite = {
        declaration.activite_id: declaration
        for declaration in campaign.declarations.select_related("activite__organisme")
    }
    already = set(
        SentReminder.objects.filter(
            campaign=campaign, declaration=None, kind=MailKind.CAMPAIGN_OPENED
        ).values_list("user_id", flat=True)
    )
    sent = 0
    for user, activite_ids in holders(by_activite, ALL_ROLES, MailKind.CAMPAIGN_OPENED).items():
        if user.pk in already:
            continue
        with transaction.atomic():
            if not record_sent(user, MailKind.CAMPAIGN_OPENED, campaign=campaign):
                continue
            mine = sorted((by_activite[pk] for pk in activite_ids), key=lambda d: d.activite.nom)
            send_portal_mail(
                "campaign_opened",
                [user.email],
                {
                    "user": user,
                    "campaign": campaign,
                    "declarations": mine,
                    "url": absolute(request, "afas:declarations"),
                },
            )
        sent += 1
    return sent


# The rôles each mail of « Mes notifications » goes to (rules 28, 29); the others go to every rôle.
MAIL_ROLES = {MailKind.TO_APPROVE: {Role.APPROBATEUR}}


def mail_kinds_for(user):
    """The mails of « Mes notifications » that concern the user: those of the rôles of their habilitations
    not ended (awaiting the Caf's validation too); every mail while they hold none yet."""
    mine = Habilitation.objects.filter(user=user).exclude(caf_decision=Habilitation.CafDecision.REFUSED)
    # Without the model's ordering (by activité and lieu): two joins for a set.
    roles = set(mine.not_ended().order_by().values_list("role", flat=True))
    if not roles:
        return list(MailKind)
    return [kind for kind in MailKind if MAIL_ROLES.get(kind, roles) & roles]


def mail_preferences(user):
    """{kind: wanted} for every mail of « Mes notifications »: wanted unless turned off (rule 28)."""
    turned_off = MailPreference.objects.filter(user=user, enabled=False).order_by()  # no join to the users
    turned_off = set(turned_off.values_list("kind", flat=True))
    return {kind: kind not in turned_off for kind in MailKind}


@transaction.atomic
def set_mail_preferences(user, wanted, kinds=tuple(MailKind)):
    """Keeps one row per kind the user changed among `kinds` (those the page showed: a mail it did not
    show is left as it was); each change is saved on its own, so the history records who changed it, when
    and from where. Returns the kinds changed."""
    current = {p.kind: p for p in MailPreference.objects.select_for_update().filter(user=user)}
    changed = []
    for kind in kinds:
        enabled = kind in wanted
        preference = current.get(kind)
        if preference is None and enabled:
            continue  # no row: already wanted
        if preference is not None and preference.enabled == enabled:
            continue
        preference = preference or MailPreference(user=user, kind=kind)
        preference.enabled = enabled
        preference.updated_at = timezone.now()
        preference.save()
        changed.append(kind)
    return changed
