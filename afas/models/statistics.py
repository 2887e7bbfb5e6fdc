"""The rollup behind « Statistiques »: sums kept up to date as the Caf validates declarations « Réel ».

Derived data only, owned by afas/declarations/rollup.py (which adds a declaration when the Caf validates it,
takes it back out when the validation is undone, and rebuilds both tables from the declarations): a row here
is never typed by anyone, and `manage.py rebuild_statistics` can recompute every one of them.
"""

from django.db import models

# Wide enough for the figures of an implausible declaration too (a capacité théorique is the product of three
# typed figures of up to 12 digits each), with the decimals of such a product.
FIGURE = {"max_digits": 50, "decimal_places": 6}


def sum_of_figures(label):
    """A column of DeclarationStatistics: a running sum of figures, 0 before the first declaration."""
    return models.DecimalField(label, default=0, **FIGURE)


class ActiviteStatistics(models.Model):
    """The figures of one validated declaration « Réel » of an activité, as they were added to the sums of its
    Caf: taking the validation back subtracts exactly these, from the Caf and type they were added to."""

    declaration = models.OneToOneField(
        "afas.Declaration",
        verbose_name="déclaration",
        on_delete=models.CASCADE,
        related_name="statistics",
    )
    activite = models.ForeignKey("afas.Activite", verbose_name="activité", on_delete=models.CASCADE)
    caf = models.ForeignKey("conventions.Caf", verbose_name="Caf", on_delete=models.CASCADE)
    activity_type = models.ForeignKey(
        "afas.ActivityType", verbose_name="type d'activité", on_delete=models.CASCADE
    )
    exercice = models.PositiveSmallIntegerField("exercice")
    total_charges = models.DecimalField("total des charges", null=True, **FIGURE)
    heures_realisees = models.DecimalField("heures réalisées", null=True, **FIGURE)
    capacite_theorique = models.DecimalField("capacité théorique", null=True, **FIGURE)
    inscrits = models.DecimalField("enfants inscrits", null=True, **FIGURE)
    plausible = models.BooleanField("passe les contrôles de vraisemblance")

    class Meta:
        verbose_name = "statistiques d'une activité"
        verbose_name_plural = "statistiques des activités"
        constraints = [
            models.UniqueConstraint(
                fields=["activite", "exercice"], name="one_statistics_per_activite_exercice"
            )
        ]

    def __str__(self):
        return f"{self.activite_id} — {self.exercice}"


class DeclarationStatistics(models.Model):
    """Per (Caf, type d'activité, exercice): for each metric of afas/declarations/stats.py, the sum of its
    numerator and of its denominator over the plausible declarations that have both; the national figures are
    the sums of these rows."""

    caf = models.ForeignKey("conventions.Caf", verbose_name="Caf", on_delete=models.CASCADE)
    activity_type = models.ForeignKey(
        "afas.ActivityType", verbose_name="type d'activité", on_delete=models.CASCADE
    )
    exercice = models.PositiveSmallIntegerField("exercice")
    declarations = models.PositiveIntegerField("déclarations comptées", default=0)
    outliers = models.PositiveIntegerField("déclarations écartées (invraisemblables)", default=0)
    prix_revient_horaire_numerator = sum_of_figures("prix de revient horaire : total des charges")
    prix_revient_horaire_denominator = sum_of_figures("prix de revient horaire : total des heures réalisées")
    taux_occupation_numerator = sum_of_figures("taux d'occupation : total des heures réalisées")
    taux_occupation_denominator = sum_of_figures("taux d'occupation : total des capacités théoriques")
    heures_par_enfant_numerator = sum_of_figures("heures par enfant : total des heures réalisées")
    heures_par_enfant_denominator = sum_of_figures("heures par enfant : total des enfants inscrits")

    class Meta:
        verbose_name = "statistiques d'une Caf"
        verbose_name_plural = "statistiques des Caf"
        constraints = [
            models.UniqueConstraint(
                fields=["caf", "activity_type", "exercice"], name="one_statistics_per_caf_type_exercice"
            )
        ]
        indexes = [models.Index(fields=["activity_type", "exercice"])]

    def __str__(self):
        return f"{self.caf_id} — {self.activity_type_id} — {self.exercice}"
