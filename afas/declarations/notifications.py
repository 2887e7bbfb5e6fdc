"""The mails of the declarations: to the approbateurs, the providers, the Caf."""

from collections import defaultdict

from django.urls import reverse

from accounts.models import User
from afas.models import Habilitation, Role
from conventions.models import Convention
from core.links import absolute_url
from core.mail import send_portal_mail


def absolute(request, url_name, *args):
    path = reverse(url_name, args=args)
    return absolute_url(path, request)


def holders(activite_ids, roles):
    """{user: [activite ids]} of the habilitations in force with these rôles on these activités."""
    result = defaultdict(set)
    habilitations = (
        Habilitation.objects.in_force()
        .filter(activite_id__in=activite_ids, role__in=roles)
        .exclude(user__email="")
        .select_related("user")
    )
    for habilitation in habilitations:
        result[habilitation.user].add(habilitation.activite_id)
    return result


def notify_to_approve(declaration, request):
    for user in holders([declaration.activite_id], [Role.APPROBATEUR]):
        send_portal_mail(
            "declaration_to_approve",
            [user.email],
            {
                "user": user,
                "declaration": declaration,
                "url": absolute(request, "afas:declaration", declaration.pk),
            },
        )


def notify_returned(declaration, comment, by, request):
    for user in holders([declaration.activite_id], [Role.FR_DA, Role.FR_DF]):
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


def notify_transmitted(declaration, by, request):
    recipients = caf_addresses(declaration)
    if recipients:
        send_portal_mail(
            "declaration_transmitted",
            recipients,
            {
                "declaration": declaration,
                "by": by,
                "url": absolute(request, "admin:afas_declaration_change", declaration.pk),
            },
        )


def notify_campaign_opened(campaign, declarations, request):
    """One mail per approbateur, listing the declarations of their activités."""
    by_activite = {declaration.activite_id: declaration for declaration in declarations}
    for user, activite_ids in holders(by_activite, [Role.APPROBATEUR]).items():
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
