"""The reference lists whose rows are nothing but a unique libellé (types de partenaire, natures d'activité):
the Caf keeps them in the back-office; a row is listed and shown by its libellé."""

from django.db import models


class LibelleList(models.Model):
    """Abstract: the `libelle` column, the order and the name of a row. Each model adds its verbose names
    (`class Meta(LibelleList.Meta)`) and its `history = History()` (core/history.py)."""

    libelle = models.CharField("libellé", max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle
