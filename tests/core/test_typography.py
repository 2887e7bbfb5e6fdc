"""Item 20 of issue 9: elision in generated phrases, « adresse mail », « État », times as 23h11."""

import datetime
import html
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains

from afas.models import State, StateChange
from core.typography import de
from tests.accounts.factories import UserFactory
from tests.afas.factories import DeclarationFactory, HabilitationFactory


@pytest.mark.parametrize(
    ("word", "phrase"),
    [
        ("Approbateur", "d'Approbateur"),
        ("ANDRE Manon", "d'ANDRE Manon"),
        ("ÉMILE Jean", "d'ÉMILE Jean"),
        ("Yves", "d'Yves"),
        ("DUPONT Marie", "de DUPONT Marie"),
        ("Fournisseur de données d'activité", "de Fournisseur de données d'activité"),
    ],
)
def test_de_is_elided_before_a_vowel(word, phrase):
    assert de(word) == phrase


@pytest.mark.django_db
def test_messages_about_a_user_elide_before_a_vowel(client):
    from tests.conventions.factories import ConventionFactory

    convention = ConventionFactory(with_admin=True)
    admin = convention.administrators.get().user
    member = UserFactory(organisme=convention.organisme, nom="ANDRE", prenom="Manon", declarant=True)
    client.force_login(admin)
    question = client.get(reverse("conventions:user_close", args=[convention.pk, member.pk]))
    assertContains(
        question,
        f"<p>Voulez-vous vraiment fermer le compte d'<strong>ANDRE Manon</strong> (identifiant {member.identifiant}) ?</p>",
        html=True,
    )
    response = client.post(reverse("conventions:user_close", args=[convention.pk, member.pk]), follow=True)
    assertContains(response, "Le compte d'ANDRE Manon est fermé à compter d'aujourd'hui.", html=True)


@pytest.mark.django_db
def test_declaration_page_says_etat_with_its_accent_and_times_as_23h11(client):
    habilitation = HabilitationFactory()
    declaration = DeclarationFactory(activite=habilitation.activite, state=State.A_CORRIGER)
    at = datetime.datetime(2026, 3, 4, 23, 11, tzinfo=ZoneInfo("Europe/Paris"))
    change = StateChange.objects.create(
        declaration=declaration,
        from_state=State.A_APPROUVER,
        to_state=State.A_CORRIGER,
        comment="À revoir",
        by=UserFactory(),
    )
    StateChange.objects.filter(pk=change.pk).update(at=at)
    client.force_login(habilitation.user)
    page = html.unescape(client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode())
    assert "État de la déclaration" in page and "État précédent" in page and "Etat" not in page
    assert "04/03/2026 à 23h11" in page and "04/03/2026 23h11" in page and "23:11" not in page


TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
WORDING = {
    "adresse e-mail": "adresse mail",
    "e-mail": "mail",
    "courriel": "mail",
    ">Etat": ">État",
    '"Etat': '"État',
    'H:i"': 'TIME_FORMAT ("23h11")',
}


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES_DIR.rglob("*.*")), ids=lambda p: str(p.relative_to(TEMPLATES_DIR))
)
def test_templates_use_the_portals_wording(path):
    text = path.read_text(encoding="utf-8")
    for wrong, right in WORDING.items():
        assert wrong not in text.lower() if wrong.islower() else wrong not in text, (
            f"« {wrong} » : écrire {right}"
        )


def test_every_email_field_says_adresse_mail_not_courriel(client):
    """Django's French says « adresse de courriel » for any email field left with its own message, such as
    the Caf's address on a convention in the back-office: the portal's translation says « adresse mail »."""
    from django import forms
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from conventions.models import Convention

    with translation.override("fr"):
        for field in (forms.EmailField(), Convention._meta.get_field("email_caf").formfield()):
            with pytest.raises(ValidationError) as refused:
                field.clean("pas-une-adresse")
            assert "adresse mail" in refused.value.messages[0] and "courriel" not in refused.value.messages[0]
