from django.db import models

from core.history import History
from core.reference import LibelleList
from core.search import NormalisedSearchMixin


class ActivityType(models.Model):
    """Type d'activité: ALSH, EAJE, LAEP, RPE…"""

    code = models.CharField("code", max_length=20, unique=True)
    libelle = models.CharField("libellé", max_length=200)

    history = History()

    class Meta:
        verbose_name = "type d'activité"
        verbose_name_plural = "types d'activité"
        ordering = ["code"]

    def __str__(self):
        return self.code


class ActivityNature(LibelleList):
    """Nature d'activité: Périscolaire, Extrascolaire, Accueil de jeunes…"""

    history = History()

    class Meta(LibelleList.Meta):
        verbose_name = "nature d'activité"
        verbose_name_plural = "natures d'activité"


class ActiviteQuerySet(models.QuerySet):
    def managed_by(self, user, on=None):
        """Activités of the partners whose conventions `user` administers today (data scope)."""
        from conventions.models import Organisme

        return self.filter(organisme__in=Organisme.objects.administered_by(user, on))


class Activite(NormalisedSearchMixin, models.Model):
    """A service of the partner funded by the Caf (« Extra Assoc », « Péri Assoc »…)."""

    organisme = models.ForeignKey(
        "conventions.Organisme",
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        related_name="activites",
    )
    nom = models.CharField("nom", max_length=200)
    nom_search = models.CharField(
        "nom (recherche)", max_length=200, editable=False, default=""
    )  # core/search.py
    type = models.ForeignKey(ActivityType, verbose_name="type d'activité", on_delete=models.PROTECT)
    nature = models.ForeignKey(ActivityNature, verbose_name="nature d'activité", on_delete=models.PROTECT)

    objects = ActiviteQuerySet.as_manager()
    search_columns = {"nom_search": "nom"}

    history = History(excluded_fields=["nom_search"])

    class Meta:
        verbose_name = "activité"
        verbose_name_plural = "activités"
        ordering = ["nom"]
        indexes = [
            models.Index(fields=["organisme", "nom"]),
            models.Index(fields=["organisme", "nom_search"]),
        ]

    def __str__(self):
        return self.nom


class Lieu(models.Model):
    """Lieu d'implantation: a site where an activité runs."""

    activite = models.ForeignKey(
        Activite, verbose_name="activité", on_delete=models.PROTECT, related_name="lieux"
    )
    nom = models.CharField("nom", max_length=200)
    adresse = models.TextField("adresse", blank=True)

    history = History()

    class Meta:
        verbose_name = "lieu d'implantation"
        verbose_name_plural = "lieux d'implantation"
        ordering = ["activite__nom", "nom"]

    def __str__(self):
        return self.nom
