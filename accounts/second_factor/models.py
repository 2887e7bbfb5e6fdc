from django.conf import settings
from django.db import models


class SecondFactor(models.Model):
    """Where a user stands with the second factor, beside their django-otp devices (TOTP and recovery
    codes): the end of their grace period without one, and the lockout of the second step."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="second_factor",
    )
    grace_until = models.DateField(
        "second facteur requis après le",
        null=True,
        blank=True,
        help_text="Fin du délai pendant lequel l'utilisateur peut encore se connecter sans second facteur.",
    )
    failures = models.PositiveSmallIntegerField("codes erronés consécutifs", default=0)
    locked_until = models.DateTimeField("second facteur bloqué jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "second facteur"
        verbose_name_plural = "seconds facteurs"

    def __str__(self):
        return f"Second facteur de {self.user}"
