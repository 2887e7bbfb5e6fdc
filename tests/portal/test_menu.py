import pytest
from django.urls import reverse

from portal.menu import build_menu
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def labels(user):
    return {section["title"]: [item["label"] for item in section["items"]] for section in build_menu(user)}


@pytest.mark.urls("tests.portal.menu_urls")
def test_declarant_only_sees_afas_and_the_mail_change():
    menu = labels(UserFactory(declarant=True))
    assert menu == {
        "Aides financières d'action sociale": [
            "Accueil AFAS",
            "Mes déclarations",
            "Statistiques",
            "Règles d'usage",
        ],
        "Administration": ["Modifier mon adresse mail"],
    }


@pytest.mark.urls("tests.portal.menu_urls")
def test_partner_admin_sees_organismes_conventions_supervision_but_not_afas_without_habiliter():
    menu = labels(UserFactory(partner_admin=True))
    assert list(menu) == [
        "Organismes partenaires",
        "Conventions",
        "Supervision habilitations",
        "Administration",
    ]


@pytest.mark.urls("tests.portal.menu_urls")
def test_partner_admin_in_afas_habiliter_also_administers_afas_profiles():
    menu = labels(UserFactory(partner_admin=True, habiliter=True))
    assert menu["Aides financières d'action sociale"] == [
        "Accueil AFAS",
        "Statistiques",
        "Administration des profils",
        "Règles d'usage",
    ]


@pytest.mark.urls("tests.portal.menu_urls")
def test_habiliter_without_being_partner_admin_gets_no_afas_administration():
    menu = labels(UserFactory(habiliter=True))
    assert menu == {"Administration": ["Modifier mon adresse mail"]}


def test_entries_without_a_page_yet_are_not_shown(client):
    """On the real URLs only the pages that exist are linked: no dead links."""
    user = UserFactory(partner_admin=True, habiliter=True, declarant=True)
    client.force_login(user)
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert "Modifier mon adresse mail" in page
    for section in build_menu(user):
        for item in section["items"]:
            assert client.get(item["url"]).status_code == 200


@pytest.mark.urls("tests.portal.menu_urls")
def test_welcome_page_shows_the_menu_of_the_declarant(client):
    client.force_login(UserFactory(declarant=True))
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert "Mes déclarations" in page and "Modifier mon adresse mail" in page
    assert "Consulter les conventions" not in page
