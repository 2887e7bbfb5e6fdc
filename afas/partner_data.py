"""The partner's activités, lieux and habilitations, which its pages keep drawn in the shared cache
(core/fragments.py, issue 12; its users and groups: conventions/partner_data.py): every save or delete
drops the partner's token."""

from conventions.partner_data import forget_partners
from core.fragments import REFERENCE_SCOPE, forget_data

from .models import Activite


def activite_changed(sender, instance, **kwargs):
    forget_partners([instance.organisme_id])


def _organisme_of(instance):
    """The partner of a lieu or an habilitation, through its activité (read if not loaded)."""
    if type(instance).activite.is_cached(instance):
        return instance.activite.organisme_id
    return Activite.objects.filter(pk=instance.activite_id).values_list("organisme_id", flat=True).first()


def activite_part_changed(sender, instance, **kwargs):
    forget_partners([_organisme_of(instance)])


def reference_changed(sender, instance, **kwargs):
    forget_data([REFERENCE_SCOPE])


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import ActivityNature, ActivityType, Habilitation, Lieu

    for model in (ActivityType, ActivityNature):
        post_save.connect(reference_changed, sender=model, dispatch_uid=f"reference_{model.__name__}")
        post_delete.connect(
            reference_changed, sender=model, dispatch_uid=f"reference_delete_{model.__name__}"
        )

    for model, receiver in [
        (Activite, activite_changed),
        (Lieu, activite_part_changed),
        (Habilitation, activite_part_changed),
    ]:
        post_save.connect(receiver, sender=model, dispatch_uid=f"partner_data_{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"partner_data_delete_{model.__name__}")
