"""French typography of generated phrases, for Python messages and templates (a builtin filter: no
{% load %} needed): « au rôle d'Approbateur », « le compte d'ANDRE Manon », « de DUPONT Marie »."""

import unicodedata

from django import template

register = template.Library()

VOWELS = set("aeiouyœæ")


def starts_with_vowel(word):
    first = unicodedata.normalize("NFD", str(word).lstrip()[:1].lower())[:1]
    return first in VOWELS


@register.filter(name="de")
def de(word):
    """« de » before `word`, elided before a vowel: de("Approbateur") == "d'Approbateur"."""
    word = str(word)
    return f"d'{word}" if starts_with_vowel(word) else f"de {word}"


@register.filter
def de_only(word):
    """Just the particle, for markup around the word: « fermer le compte {{ u|de_only }}<strong>{{ u }}</strong> »."""
    return "d'" if starts_with_vowel(word) else "de "
