import pytest
from django.urls import resolve, reverse

from portal.menu import MENU, build_menu
from tests.accounts.factories import UserFactory
from tests.afas.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def labels(user):
    return {section["title"]: [item["label"] for item in section["items"]] for section in build_menu(user)}


def test_declarant_only_sees_afas_and_their_own_account():
    menu = labels(UserFactory(declarant=True))
    assert menu == {
        "Aides financières d'action sociale": [
            "Accueil AFAS",
            "Mes déclarations",
            "Statistiques",
            "Règles d'usage",
        ],
        "Administration": [
            "Modifier mon adresse mail",
            "Sécuriser mon compte",
            "Mes notifications",
            "Mes connexions",
        ],
    }


def test_partner_admin_sees_organismes_conventions_supervision_but_not_afas_without_habiliter():
    menu = labels(UserFactory(partner_admin=True))
    assert list(menu) == [
        "Organismes partenaires",
        "Conventions",
        "Supervision habilitations",
        "Administration",
    ]


def test_partner_admin_in_afas_habiliter_also_administers_afas_profiles():
    menu = labels(UserFactory(partner_admin=True, habiliter=True))
    assert menu["Aides financières d'action sociale"] == [
        "Accueil AFAS",
        "Statistiques",
        "Administration des profils",
        "Règles d'usage",
    ]


def test_habiliter_without_being_partner_admin_gets_no_afas_administration():
    menu = labels(UserFactory(habiliter=True))
    assert menu == {
        "Administration": [
            "Modifier mon adresse mail",
            "Sécuriser mon compte",
            "Mes notifications",
            "Mes connexions",
        ]
    }


def test_entries_without_a_page_yet_are_not_shown(client):
    """On the real URLs only the pages that exist are linked: no dead links."""
    user = UserFactory(partner_admin=True, habiliter=True, declarant=True)
    client.force_login(user)
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert "Modifier mon adresse mail" in page
    for section in build_menu(user):
        for item in section["items"]:
            assert client.get(item["url"]).status_code == 200


def test_welcome_page_shows_the_menu_of_the_declarant(client):
    client.force_login(UserFactory(declarant=True))
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert "Mes déclarations" in page and "Modifier mon adresse mail" in page
    assert "Consulter les conventions" not in page


def partner_admin():
    return UserFactory(partner_admin=True)


def habilitation_manager():
    return UserFactory(partner_admin=True, habiliter=True)


def declarant_with(**traits):
    return lambda: HabilitationFactory(**traits).user


PROFILES = {
    "partner admin": partner_admin,
    "partner admin in AFAS-HABILITER": habilitation_manager,
    "declarant without habilitation": lambda: UserFactory(declarant=True),
    "declarant Fr DA": declarant_with(),
    "declarant Fr DA on a lieu": declarant_with(on_lieu=True),
    "declarant Fr DF": declarant_with(financial=True),
    "approbateur validated by the Caf": declarant_with(validated=True),
    "approbateur awaiting the Caf": declarant_with(approbateur=True),
    "AFAS-HABILITER without being partner admin": lambda: UserFactory(habiliter=True),
    "user with no rights": UserFactory,
    "Caf agent": lambda: UserFactory(caf_agent=True),
}
ALL_ENTRIES = [entry for _, entries in MENU for entry in entries]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_entry_of_each_profile_menu_opens_and_every_hidden_page_is_refused(client, profile):
    """The menu and the views read the same named rights: what is shown opens (200), what is hidden and
    needs a right is refused (403)."""
    user = PROFILES[profile]()
    client.force_login(user)
    shown = {item["url"] for section in build_menu(user) for item in section["items"]}
    assert reverse("accounts:email_change") in shown
    assert reverse("afas:notifications") in shown
    for url in shown:
        assert client.get(url).status_code == 200, url
    for entry in ALL_ENTRIES:
        url = reverse(entry.url_name)
        if url not in shown and not entry.shown_to:
            assert client.get(url).status_code == 403, url


def test_only_public_pages_in_the_menu_say_to_whom_they_are_shown():
    for entry in ALL_ENTRIES:
        if not entry.shown_to:
            view = resolve(reverse(entry.url_name)).func
            assert getattr(view, "login_required", True), f"{entry.url_name} est public sans shown_to"


def test_a_public_page_in_the_menu_is_shown_to_afas_users_only():
    assert "Règles d'usage" in labels(UserFactory(declarant=True))["Aides financières d'action sociale"]
    assert "Règles d'usage" not in str(labels(UserFactory(partner_admin=True)))
