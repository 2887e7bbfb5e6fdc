"""The accusé de réception of a transmission to the Caf (rules 30, 31): a record made in the same transaction
as the move to « Transmise à la Caf », never changed afterwards. It keeps who transmitted, when, from which
address and a snapshot of the figures sent, so that its PDF, drawn at any later time, shows exactly what the
Caf received even once the declaration has been returned and changed."""

from django.db import models

from core.fields import done_by


class Receipt(models.Model):
    declaration = models.ForeignKey(
        "afas.Declaration", verbose_name="déclaration", on_delete=models.PROTECT, related_name="receipts"
    )
    caf = models.ForeignKey("conventions.Caf", verbose_name="Caf", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    number = models.PositiveIntegerField("numéro dans l'année")
    reference = models.CharField("référence", max_length=40, unique=True)
    transmitted_by = done_by("transmise par")
    # The name as it was on the day: a later change of the user's name does not rewrite the receipt.
    transmitted_by_name = models.CharField("nom de qui a transmis", max_length=300, blank=True)
    transmitted_at = models.DateTimeField("transmise le")
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    figures = models.JSONField("chiffres transmis")
    # Built by the data migration for a declaration transmitted before receipts existed (from its history).
    rebuilt = models.BooleanField("établi après coup", default=False)

    class Meta:
        verbose_name = "accusé de réception"
        verbose_name_plural = "accusés de réception"
        ordering = ["transmitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["caf", "year", "number"], name="one_receipt_number_per_caf_year")
        ]
        indexes = [models.Index(fields=["declaration", "transmitted_at"])]

    def __str__(self):
        return self.reference
