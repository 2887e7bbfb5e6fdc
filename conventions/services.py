"""Business rules of Mon Compte Partenaire: partner users, group memberships, MCP administrators.

Nothing is deleted: closing sets the first day the thing is no longer in force, and who closed it."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.closing import ALREADY_CLOSED, change_closing_date, close_account
from accounts.models import User, generate_identifiants
from accounts.signals import account_created, accounts_created
from core.dates import fr
from core.errors import Refused

from .models import Convention, ConventionAdministrator, HabilitationGroup, Membership
from .partner_data import forget_partners
from .rights import rights_changed
from .signals import membership_added, membership_closed, memberships_added

SELF_HABILITER = (
    "Vous ne pouvez pas vous ajouter vous-même au groupe AFAS-HABILITER : un autre administrateur de la "
    "convention ou la Caf le fait."
)


def overlapping_memberships(user, group, date_ouverture, date_cloture=None):
    """Memberships of `user` in `group` sharing at least one day with [date_ouverture, date_cloture)."""
    return Membership.objects.filter(
        Membership.period.overlapping(date_ouverture, date_cloture), user=user, group=group
    )


@transaction.atomic
def add_to_group(user, group, date_ouverture, date_cloture=None, by=None):
    """« Ajouter au groupe »: refused when the user is already a member of the group over that period, or
    when an administrator adds themself to AFAS-HABILITER (rule 18)."""
    if by is not None and by.pk == user.pk and group.code == HabilitationGroup.HABILITER:
        # Who grants the rights to habilitate is not who receives them (a Caf decision, issue 13).
        raise Refused({"group": SELF_HABILITER})
    # Lock the user's row so that two concurrent additions cannot both pass the overlap check.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = overlapping_memberships(user, group, date_ouverture, date_cloture).first()
    if existing is not None:
        until = f" au {fr(existing.date_cloture)}" if existing.date_cloture else ", sans date de clôture"
        raise Refused(
            {
                "group": f"{user} est déjà membre du groupe « {group.libelle} » sur cette période "
                f"(du {fr(existing.date_ouverture)}{until})."
            }
        )
    membership = Membership.objects.create(
        user=user, group=group, date_ouverture=date_ouverture, date_cloture=date_cloture, created_by=by
    )
    membership_added.send(sender=Membership, membership=membership, by=by)
    return membership


def _end(membership, on, by):
    membership.date_cloture = max(on, membership.date_ouverture)
    membership.closed_by = by
    membership.closed_at = timezone.now()
    membership.save(update_fields=["date_cloture", "closed_by", "closed_at"])
    membership_closed.send(sender=Membership, membership=membership, by=by)


def close_membership(membership, by, on=None):
    """Ends a membership today (or on `on`); it stays in the group's history."""
    on = on or timezone.localdate()
    if membership.is_ended(on):
        raise Refused("Cette appartenance au groupe est déjà close.")
    _end(membership, on, by)
    return membership


def end_memberships(user, on, by):
    """Ends every membership of `user` still in force (or to come) on `on`."""
    for membership in user.memberships.not_ended(on):
        _end(membership, on, by)


@transaction.atomic
def create_partner_user(*, organisme, groups=(), by=None, **fields):
    """A new partner user: generated identifiant, no password (the activation mail lets them choose one),
    and the chosen groups joined from their opening date."""
    user = User.objects.create_user(organisme=organisme, **fields)
    account_created.send(sender=User, user=user, by=by)
    for group in groups:
        add_to_group(user, group, user.date_ouverture, user.date_cloture, by=by)
    return user


@transaction.atomic
def create_partner_users(people, *, by=None, batch_size=500):
    """create_partner_user for many new users at once (rule 27's import): `people` is a list of
    (fields, groups), the fields with their organisme. The same rows, history rows and audit trail, inserted in a few queries per batch.
    add_to_group's refusals cannot apply to a user who did not exist (no membership to overlap, and
    nobody adds themself). Returns the users, in the order of `people`."""
    users = []
    for (fields, _), identifiant in zip(people, generate_identifiants(len(people)), strict=True):
        user = User(identifiant=identifiant, **fields)
        user.set_unusable_password()
        user.fill_search_columns()
        users.append(user)
    bulk_create_with_history(users, User, batch_size=batch_size)
    memberships = [
        Membership(
            user=user,
            group=group,
            date_ouverture=user.date_ouverture,
            date_cloture=user.date_cloture,
            created_by=by,
        )
        for user, (_, groups) in zip(users, people, strict=True)
        for group in groups
    ]
    bulk_create_with_history(memberships, Membership, batch_size=batch_size)
    rights_changed(user.pk for user in users)  # bulk_create sends no post_save (conventions/apps.py)
    forget_partners({user.organisme_id for user in users})
    accounts_created.send(sender=User, users=users, by=by)
    memberships_added.send(sender=Membership, memberships=memberships, by=by)
    return users


@transaction.atomic
def update_partner_user(user, *, by=None, **fields):
    """« Modifier »: a changed date de clôture closes (or reopens) the account as « Supprimer » does."""
    saved_closing = User.objects.values_list("date_cloture", flat=True).get(pk=user.pk)
    date_cloture = fields.pop("date_cloture", saved_closing)
    for name, value in fields.items():
        setattr(user, name, value)
    user.date_cloture = saved_closing
    user.save()
    change_closing_date(user, date_cloture, by=by)
    return user


ADMINISTRATOR_NOT_CLOSED = (
    "Cet utilisateur est administrateur MCP de la convention : son remplacement passe par un "
    "avenant signé avec votre Caf."
)


def is_current_administrator(user, on=None):
    return ConventionAdministrator.objects.current(on).filter(user=user).exists()


def refuse_closing_an_administrator(sender, user, **kwargs):
    """accounts.signals.closing_refused: a current MCP administrator is replaced through an avenant."""
    return ADMINISTRATOR_NOT_CLOSED if is_current_administrator(user) else None


def requires_second_factor(sender, user, **kwargs):
    """accounts.signals.second_factor_required (issue 13): who grants rights has a second factor — an
    administrator of a convention in force, or a member of AFAS-HABILITER."""
    today = timezone.localdate()
    return (
        Convention.objects.administered_by(user, today).exists()
        or Membership.objects.current(today)
        .filter(user=user, group__code=HabilitationGroup.HABILITER)
        .exists()
    )


def end_memberships_of_closed_account(sender, user, by, on, **kwargs):
    """accounts.signals.account_closed: the account leaves its groups the day it closes."""
    end_memberships(user, on, by)


@transaction.atomic
def close_user(user, by, on=None):
    """« Supprimer »: the account is closed today (statut Fermé, no more sign-in), its memberships end."""
    on = on or timezone.localdate()
    if user.is_ended(on):
        raise Refused(ALREADY_CLOSED)
    return close_account(user, by=by, on=on)


@transaction.atomic
def change_administrator(convention, *, new_user, avenant_date, avenant_reference, former=None):
    """« Changement d'administrateur MCP »: from the avenant's date the new user holds the seat of
    `former` (who keeps their account), or a free seat when `former` is None."""
    if new_user.organisme_id != convention.organisme_id or not new_user.is_open(avenant_date):
        raise Refused(
            {
                "new_user": "Le nouvel administrateur doit être un utilisateur ouvert de l'organisme partenaire."
            }
        )
    current = (
        ConventionAdministrator.objects.select_for_update()
        .not_ended(avenant_date)
        .filter(convention=convention)
    )
    if current.filter(user=new_user).exists():
        raise Refused({"new_user": f"{new_user} est déjà administrateur MCP de cette convention."})
    if former is not None:
        if former.convention_id != convention.pk or former.date_fin is not None:
            raise Refused({"former": "Cet administrateur n'est plus en fonction."})
        if avenant_date < former.date_debut:
            raise Refused(
                {
                    "avenant_date": "La date de l'avenant ne peut pas précéder la nomination de l'administrateur."
                }
            )
        seat = former.seat
        former.date_fin = avenant_date
        former.save(update_fields=["date_fin"])
    else:
        taken = set(current.filter(date_fin__isnull=True).values_list("seat", flat=True))
        free = [seat for seat in ConventionAdministrator.Seat.values if seat not in taken]
        if not free:
            raise Refused(
                {
                    "former": "La convention a déjà deux administrateurs MCP : choisissez celui que l'avenant remplace."
                }
            )
        seat = free[0]
    return ConventionAdministrator.objects.create(
        convention=convention,
        user=new_user,
        seat=seat,
        date_debut=avenant_date,
        avenant_date=avenant_date,
        avenant_reference=avenant_reference,
    )


# What the groups page and the EDP show of a membership: its dates, its user and who closed it (their
# names), without the twenty other columns of each of the two users.
MEMBER_COLUMNS = (
    "group",
    "date_ouverture",
    "date_cloture",
    "user__identifiant",
    "user__nom",
    "user__prenom",
    "closed_by__nom",
    "closed_by__prenom",
)


def members_by_group(convention, on=None):
    """[(group, current or upcoming memberships, past memberships)] of the convention's users, in two
    queries whatever their number."""
    on = on or timezone.localdate()
    memberships = (
        Membership.objects.filter(user__organisme=convention.organisme_id)
        .select_related("user", "closed_by")
        .only(*MEMBER_COLUMNS)
        .order_by("user__nom", "user__prenom", "-date_ouverture")
    )
    by_group = {}
    for membership in memberships:
        ended = membership.is_ended(on)
        by_group.setdefault(membership.group_id, ([], []))[1 if ended else 0].append(membership)
    return [(group, *by_group.get(group.pk, ([], []))) for group in HabilitationGroup.objects.all()]


def current_member_counts(convention, on=None):
    """[(group, number of its current or upcoming memberships)] of the convention's users, as
    members_by_group counts them (a membership not ended on that day), counted by PostgreSQL: the
    convention's detail shows only the numbers."""
    counts = dict(
        Membership.objects.filter(user__organisme=convention.organisme_id)
        .not_ended(on or timezone.localdate())
        .order_by()
        .values_list("group")
        .annotate(Count("pk"))
    )
    return [(group, counts.get(group.pk, 0)) for group in HabilitationGroup.objects.all()]
