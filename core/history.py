"""The history of every change of the partners' and the Caf's data (django-simple-history): who, when, from
which address, and what changed, before → after.

Each tracked model declares `history = History(excluded_fields=[...])`. Its historical rows carry the
client's address (`ip_address`, core/client_ip.py) beside simple-history's user and date; they are only ever
added: no page of the portal or the back-office changes or deletes them (the history admin is read-only,
portal/admin_site.py registers no historical model). `bulk_create` and `QuerySet.update()` write no
history: the demo and volume builders use them on purpose (bulk loads of made-up data), the application
code saves rows one by one, or inserts them with simple-history's `bulk_create_with_history`, which writes
their « Création » rows too (the import of a file of users, conventions.services.create_partner_users).

`changes(record)` reads what one row changed, in French words with the fields' labels, for the
back-office's « Historique » and the partner administrator's page alike."""

import datetime

from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.models import DeletedObject, HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .client_ip import client_ip
from .dates import fr

EMPTY = "(vide)"
HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


class HistoricalRecordWithIP(models.Model):
    """The base of every historical model: the address the change came from (none outside a request:
    a management command, a task)."""

    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def action(self):
        return HISTORY_TYPES.get(self.history_type, self.history_type)


class History(HistoricalRecords):
    """simple-history's HistoricalRecords on the base above, and no row for a save that touched only
    excluded columns (the last sign-in, the password hash, which the history never keeps)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("bases", [HistoricalRecordWithIP])
        super().__init__(**kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


@receiver(pre_create_historical_record)
def record_client_ip(sender, history_instance, **kwargs):
    if isinstance(history_instance, HistoricalRecordWithIP) and history_instance.ip_address is None:
        history_instance.ip_address = client_ip(getattr(HistoricalRecords.context, "request", None))


def display(model, field_name, value):
    """A value as the portal writes it: the choice's label, « Oui »/« Non », JJ/MM/AAAA, (vide)."""
    field = model._meta.get_field(field_name)
    if isinstance(value, DeletedObject):  # a foreign key simple-history could not read: empty, or gone
        return EMPTY if value.pk is None else f"{value.model._meta.verbose_name} n° {value.pk} (supprimé)"
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return fr(value)
    return str(value)


def changes(record, previous, fields=None):
    """What `record` changed from `previous` (the row before it, or None for the first): a list of
    (label, before, after) in the model's field order, limited to `fields` if given (editable ones only). Foreign keys are read
    as the related objects: the rows should come with them selected (select_related)."""
    if previous is None:
        return []
    model = record.instance_type
    delta = record.diff_against(previous, included_fields=fields, foreign_keys_are_objs=True)
    order = [field.name for field in model._meta.fields]
    return [
        (
            capfirst(model._meta.get_field(change.field).verbose_name),
            display(model, change.field, change.old),
            display(model, change.field, change.new),
        )
        for change in sorted(delta.changes, key=lambda change: order.index(change.field))
    ]
