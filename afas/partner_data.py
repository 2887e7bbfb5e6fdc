"""The partner's activités, lieux and habilitations, which its pages keep drawn in the shared cache
(core/fragments.py, issue 12; its users and groups: conventions/partner_data.py): every save or delete
drops the partner's token."""

from conventions.partner_data import forget_partners

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


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import Habilitation, Lieu

    for model, receiver in [
        (Activite, activite_changed),
        (Lieu, activite_part_changed),
        (Habilitation, activite_part_changed),
    ]:
        post_save.connect(receiver, sender=model, dispatch_uid=f"partner_data_{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"partner_data_delete_{model.__name__}")
