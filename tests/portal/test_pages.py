"""Item 18 of issue 9: a footer on every page, linking to real public pages."""

import html

import pytest
from django.template import loader
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FOOTER = {
    "Accessibilité : partiellement conforme": "pages:accessibility",
    "Mentions légales": "pages:legal_notice",
    "Données personnelles": "pages:privacy",
    "Règles d'usage": "pages:usage_rules",
}


def assert_footer(page, opening='<footer class="portal-footer'):
    footer = page.split(opening, 1)[1]
    for label, name in FOOTER.items():
        assert f'<a href="{reverse(name)}">{label}</a>' in footer


@pytest.mark.parametrize("name", ["home", "accounts:login", "accounts:password_forgotten"])
def test_public_pages_have_the_footer(client, name):
    assert_footer(html.unescape(client.get(reverse(name)).content.decode()))


def test_signed_in_pages_and_the_404_have_the_footer(client):
    client.force_login(UserFactory(declarant=True))
    assert_footer(html.unescape(client.get(reverse("afas:home")).content.decode()))
    assert_footer(html.unescape(client.get("/nulle-part/").content.decode()))


def test_back_office_pages_have_the_footer_links_too(client):
    """The back-office (Django's admin) is a page of the service as well: its sign-in page and its pages."""
    assert_footer(html.unescape(client.get(reverse("admin:login")).content.decode()), '<footer id="footer"')
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in ("admin:index", "admin:afas_declaration_changelist"):
        assert_footer(html.unescape(client.get(reverse(name)).content.decode()), '<footer id="footer"')


@pytest.mark.parametrize("template", ["500.html", "503.html", "403_csrf.html"])
def test_error_layout_without_database_has_the_footer(template, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_footer(html.unescape(loader.get_template(template).render({"reason": ""})))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pages:accessibility", ["est partiellement conforme", "RGAA", "Non-conformités connues", "Voies de recours",
                                 "Défenseur des droits", "mon-compte-partenaire@caf.fr"]),
        ("pages:legal_notice", ["Éditeur", "Directeur de la publication", "Hébergement", "loi Godfrain"]),
        ("pages:privacy", ["mission de service public", "Journal des habilitations", "adresse IP",
                           "sessionid", "30 minutes", "délégué à la protection des données (DPO)", "dpo@cnaf.fr",
                           "Durée de conservation", "CNIL"]),
        ("pages:usage_rules", ["Ne partagez jamais votre identifiant et votre mot de passe", "loi Godfrain",
                               "30 minutes sans activité de consultation ou de saisie"]),
    ],
)  # fmt: skip
def test_footer_pages_are_public_and_say_what_they_must(client, name, expected):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count("<h1") == 1
    for text in expected:
        assert text in page


def test_the_contacts_come_from_the_settings(client, settings):
    settings.PORTAL_LEGAL = {**settings.PORTAL_LEGAL, "dpo_email": "dpo@caf-loire.fr"}
    assert "dpo@caf-loire.fr" in client.get(reverse("pages:privacy")).content.decode()


def test_footer_pages_are_readable_signed_in_too(client):
    client.force_login(UserFactory(declarant=True))
    page = html.unescape(client.get(reverse("pages:usage_rules")).content.decode())
    assert "Règles d'usage" in page and "Déconnexion" in page


def test_statistics_are_in_the_afas_menu_of_a_declarant(client):
    client.force_login(UserFactory(declarant=True))
    response = client.get(reverse("afas:home"))
    assertContains(response, f'<a href="{reverse("afas:statistics")}">Statistiques</a>', html=True)
    assert client.get(reverse("afas:statistics")).status_code == 200


def brand_href(page):
    return page.split('<a class="portal-brand" href="', 1)[1].split('"', 1)[0]


def test_the_caf_mark_leads_home_or_to_the_welcome_page_once_signed_in(client):
    assert brand_href(client.get(reverse("home")).content.decode()) == reverse("home")
    client.force_login(UserFactory(declarant=True))
    assert brand_href(client.get(reverse("afas:home")).content.decode()) == reverse("accounts:welcome")


def test_the_caf_mark_of_the_error_layout_leads_home():
    assert brand_href(loader.get_template("500.html").render({})) == reverse("home")
