"""The daily job of the declaration mails (`manage.py send_declaration_reminders`, run by `cleanup`): the
opening of a campaign on its opening day, and the reminders 15 and 3 days before the date limite of a
declaration still in the partner's hands (rule 28). Each mail is recorded (SentReminder) in the transaction
that queues it, so running the job twice, or two jobs at once, sends nothing twice."""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from afas.models import Campaign, Declaration, MailKind, SentReminder, State
from core.mail import send_portal_mail

from .notifications import ALL_ROLES, absolute, holders, notify_campaign_opened, record_sent

# Days before the date limite from which each reminder is due, nearest first: a job that did not run on the
# 15th day sends the first reminder on the next run; a declaration that reaches the 3-day window without the
# first reminder gets only the second one.
REMINDERS = [(3, MailKind.REMINDER_3), (15, MailKind.REMINDER_15)]
NOT_TRANSMITTED = [State.A_SAISIR, State.EN_COURS, State.A_APPROUVER, State.A_CORRIGER]


def reminder_due(declaration, today):
    """The reminder due today for this declaration, or None (not open yet, transmitted, past its date
    limite, or more than 15 days ahead)."""
    campaign = declaration.campaign
    if campaign is None or declaration.state not in NOT_TRANSMITTED or not campaign.is_open_on(today):
        return None
    days_left = (campaign.date_limite - today).days
    for days, kind in REMINDERS:
        if 0 <= days_left <= days:
            return kind
    return None


def open_campaigns(today):
    return Campaign.objects.filter(date_ouverture__lte=today, date_limite__gte=today)


def send_campaign_openings(request=None):
    return sum(notify_campaign_opened(campaign, request) for campaign in open_campaigns(timezone.localdate()))


def send_reminders(request=None):
    """One mail per user and kind, listing the declarations of their activités that it reminds of; each
    (declaration, user, kind) at most once. Returns the number of mails."""
    today = timezone.localdate()
    declarations = (
        Declaration.objects.filter(
            state__in=NOT_TRANSMITTED,
            campaign__date_ouverture__lte=today,
            campaign__date_limite__gte=today,
            campaign__date_limite__lte=today + timedelta(days=REMINDERS[-1][0]),
        )
        .select_related("campaign", "activite__organisme")
        .order_by("campaign__date_limite", "activite__nom")
    )
    by_kind = defaultdict(list)
    for declaration in declarations:
        kind = reminder_due(declaration, today)
        if kind:
            by_kind[kind].append(declaration)
    sent = 0
    for kind, due in by_kind.items():
        already = set(
            SentReminder.objects.filter(kind=kind, declaration__in=due).values_list(
                "declaration_id", "user_id"
            )
        )
        by_activite = defaultdict(list)
        for declaration in due:
            by_activite[declaration.activite_id].append(declaration)
        for user, activite_ids in holders(by_activite, ALL_ROLES, kind).items():
            mine = [
                declaration
                for activite_id in activite_ids
                for declaration in by_activite[activite_id]
                if (declaration.pk, user.pk) not in already
            ]
            if mine and send_reminder(user, kind, mine, today, request):
                sent += 1
    return sent


@transaction.atomic
def send_reminder(user, kind, declarations, today, request=None):
    recorded = [d for d in declarations if record_sent(user, kind, declaration=d)]
    if not recorded:
        return False
    recorded.sort(key=lambda d: (d.campaign.date_limite, d.activite.nom))
    send_portal_mail(
        "declaration_reminder",
        [user.email],
        {
            "user": user,
            "declarations": [
                {"declaration": d, "days_left": (d.campaign.date_limite - today).days} for d in recorded
            ],
            "url": absolute(request, "afas:declarations"),
            "preferences_url": absolute(request, "afas:notifications"),
        },
    )
    return True
