"""The partner's data that its pages keep drawn in the shared cache (core/fragments.py, issue 12): its
users, their groups and its conventions' seats here, its activités, lieux and habilitations in
afas/partner_data.py. Every save or delete drops the partner's token, so the lists of « Habilitations »
and « Habiliter un utilisateur » and the administrators of « Détail de la convention » are drawn afresh
at the next request. A `bulk_create` or `QuerySet.update()` sends no signal: whoever
writes so calls `forget_partners` (conventions.services.create_partner_users)."""

from accounts.models import User
from core.fragments import forget_data, partner_scope

from .models import Convention, ConventionAdministrator

# Saving only these never changes what a list shows (sign-in: last_login; a new password).
NOT_SHOWN = frozenset({"last_login", "previous_login", "password"})


def forget_partners(organisme_ids):
    forget_data(partner_scope(pk) for pk in organisme_ids if pk is not None)


def user_saving(sender, instance, update_fields=None, **kwargs):
    """Before the save, so that a user moved to another partner also leaves the former one's lists."""
    if update_fields is not None and set(update_fields) <= NOT_SHOWN:
        return
    ids = {instance.organisme_id}
    if instance.pk is not None:
        ids |= set(User.objects.filter(pk=instance.pk).values_list("organisme_id", flat=True))
        # A seated administrator is named on the detail of each convention they hold a seat of, whatever
        # its partner (a partner's administrator may be a user of another).
        seats = ConventionAdministrator.objects.filter(user=instance.pk)
        ids |= set(seats.values_list("convention__organisme_id", flat=True))
    forget_partners(ids)


def seat_changed(sender, instance, **kwargs):
    """A seat opened, ended or moved: the detail of its convention lists the seats."""
    forget_partners(
        Convention.objects.filter(pk=instance.convention_id).values_list("organisme_id", flat=True)
    )


def user_deleted(sender, instance, **kwargs):
    forget_partners([instance.organisme_id])


def membership_changed(sender, instance, **kwargs):
    """A user joining or leaving AFAS-DECLARER enters or leaves the users that can be habilitated."""
    if sender.user.is_cached(instance):
        forget_partners([instance.user.organisme_id])
    else:
        forget_partners(User.objects.filter(pk=instance.user_id).values_list("organisme_id", flat=True))


# The partner types offered by the conventions list's filter, kept drawn (conventions/views/conventions.py).
PARTNER_TYPES_SCOPE = "partner-types"


def partner_type_changed(sender, instance, **kwargs):
    forget_data([PARTNER_TYPES_SCOPE])


# The groupes d'habilitation offered by the users list's filter, kept drawn (conventions/views/users.py).
GROUPS_SCOPE = "habilitation-groups"


def group_changed(sender, instance, **kwargs):
    forget_data([GROUPS_SCOPE])
