import re
import unicodedata

from django.core.exceptions import ValidationError


def _fold(text):
    """Lower case without accents, so « Hélène » is found in « helene2026 »."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class MaximumLengthValidator:
    """Accepts long passphrases (64 characters and more) but bounds the hashing work."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"Le mot de passe ne peut pas dépasser {self.max_length} caractères.",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Il peut compter jusqu'à {self.max_length} caractères ; une phrase de passe convient."


class ObviousPasswordValidator:
    """Refuses a password made of one repeated character or a plain keyboard/number run."""

    RUNS = ("azertyuiop", "qwertyuiop", "0123456789", "abcdefghijklmnopqrstuvwxyz")

    def validate(self, password, user=None):
        lowered = password.lower()
        # A keyboard run with a few digits or signs tacked on (« azertyuiop123! ») is just as obvious.
        stem = re.sub(r"[\W\d_]+$", "", lowered) or lowered
        if len(set(lowered)) <= 2 or any(lowered in run * 2 or stem in run * 2 for run in self.RUNS):
            raise ValidationError("Ce mot de passe est trop évident.", code="password_obvious")
        if user is not None and getattr(user, "identifiant", "") and user.identifiant in password:
            raise ValidationError(
                "Le mot de passe ne doit pas contenir votre identifiant.", code="password_has_identifiant"
            )
        if user is not None and self._contains_name(password, user):
            raise ValidationError(
                "Le mot de passe ne doit pas contenir votre nom ou votre prénom.", code="password_has_name"
            )
        if re.fullmatch(r"(mot ?de ?passe|password|motdepasse|caf|partenaire)\W*\d*\W*", lowered):
            raise ValidationError("Ce mot de passe est trop évident.", code="password_obvious")

    @staticmethod
    def _contains_name(password, user):
        folded = _fold(password)
        names = (getattr(user, "nom", ""), getattr(user, "prenom", ""))
        return any(
            len(part) >= 3 and part in folded for name in names for part in re.split(r"[\W_]+", _fold(name))
        )

    def get_help_text(self):
        return "Il ne doit pas être évident ni contenir votre identifiant, votre nom ou votre prénom."
