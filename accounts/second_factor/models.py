from django.conf import settings
from django.db import models
from django_otp.models import Device, TimestampMixin

from core.fields import link


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


class RecoveryCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at=None, withdrawn_at=None)


class RecoveryCode(models.Model):
    """A single-use recovery code. Only a keyed hash of it is kept (ASVS 6.5.2): the code itself is shown
    once, when it is generated. A code used or replaced keeps its row, with the date it stopped working."""

    user = link(settings.AUTH_USER_MODEL, "utilisateur", "recovery_codes")
    digest = models.CharField("empreinte", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("généré le", auto_now_add=True)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    withdrawn_at = models.DateTimeField("remplacé le", null=True, blank=True)

    objects = RecoveryCodeQuerySet.as_manager()

    class Meta:
        verbose_name = "code de secours"
        verbose_name_plural = "codes de secours"
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(used_at=None, withdrawn_at=None),
                name="recovery_code_usable_idx",
            )
        ]

    def __str__(self):
        return f"Code de secours de {self.user}"


class Passkey(TimestampMixin, Device):
    """A passkey (WebAuthn credential) registered by the user: it signs the second step of the sign-in.
    Removed, it stays on record, unconfirmed, with the date of its removal."""

    credential_id = models.CharField("identifiant de la clé", max_length=1400, unique=True, editable=False)
    public_key = models.BinaryField("clé publique", editable=False)
    sign_count = models.PositiveBigIntegerField("compteur de signatures", default=0, editable=False)
    transports = models.JSONField("moyens de transport", default=list, blank=True, editable=False)
    removed_at = models.DateTimeField("supprimée le", null=True, blank=True)

    class Meta:
        verbose_name = "clé d'accès"
        verbose_name_plural = "clés d'accès"

    def verify_token(self, token):
        return False  # a passkey answers a WebAuthn challenge (passkeys.py), never a typed code
