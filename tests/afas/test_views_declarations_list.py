import datetime
import html

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.models import State
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory

pytestmark = pytest.mark.django_db

BEFORE_SEARCH = "Merci de sélectionner des critères de recherche ou de lancer la recherche pour accéder à vos déclarations."


@pytest.fixture
def fr_da():
    return HabilitationFactory(activite__nom="Péri Assoc").user


def test_home_shows_the_deck_texts_and_waiting_declarations(client, fr_da):
    activite = fr_da.habilitations.get().activite
    DeclarationFactory(activite=activite, campaign__date_limite=datetime.date(2026, 6, 30))
    DeclarationFactory(activite=activite, exercice=2024, state=State.VALIDEE)
    client.force_login(fr_da)
    page = client.get(reverse("afas:home")).content.decode()
    assert "Dans cet espace sécurisé, vous pouvez saisir vos déclarations" in page
    assert "Déclarer en trois étapes" in page and "Transmettez en un clic votre déclaration à la Caf." in page
    assert "Voir le guide utilisateur" in page and "Voir le tutoriel" in page
    assert "Réel 2025" in page and "30/06/2026" in page
    assert "Réel 2024" not in page  # validated: nothing to do


def test_home_shows_to_the_approbateur_only_what_awaits_approval(client):
    approbateur = HabilitationFactory(validated=True)
    DeclarationFactory(activite=approbateur.activite, state=State.EN_COURS)
    DeclarationFactory(
        activite=approbateur.activite, exercice=2026, type="previsionnel", state=State.A_APPROUVER
    )
    client.force_login(approbateur.user)
    page = client.get(reverse("afas:home")).content.decode()
    assert "Prévisionnel 2026" in page and "Réel 2025" not in page
    assert "Transmettre à la Caf" in page


@pytest.mark.parametrize("url_name", ["afas:home", "afas:guide", "afas:tutorial", "afas:declarations"])
def test_afas_pages_need_the_declarer_group(client, url_name):
    assert client.get(reverse(url_name)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse(url_name)).status_code == 403


def test_help_pages_are_written(client, fr_da):
    client.force_login(fr_da)
    assert "Fr DA global du service" in client.get(reverse("afas:guide")).content.decode()
    assert "Justifier une alerte" in client.get(reverse("afas:tutorial")).content.decode()


def test_list_asks_for_a_search_first(client, fr_da):
    DeclarationFactory(activite=fr_da.habilitations.get().activite)
    client.force_login(fr_da)
    response = client.get(reverse("afas:declarations"))
    page = response.content.decode()
    assert BEFORE_SEARCH in page and "Péri Assoc</td>" not in page
    for label in ["Type de déclaration", "Exercice de la déclaration", "État de la déclaration", "Nom de l'activité",
                  "Type d'activité", "Nature d'activité", "Réinitialiser", "Rechercher"]:  # fmt: skip
        assertContains(response, label, html=True)


def test_search_without_criteria_lists_only_my_declarations(client, fr_da):
    mine = DeclarationFactory(activite=fr_da.habilitations.get().activite)
    DeclarationFactory(activite=ActiviteFactory(nom="Extra Ailleurs"))
    HabilitationFactory(user=fr_da, ended=True, activite=ActiviteFactory(nom="Ancienne activité"))
    client.force_login(fr_da)
    page = client.get(reverse("afas:declarations"), {"rechercher": "1"}).content.decode()
    assert BEFORE_SEARCH not in page
    assert "Péri Assoc" in page and "Extra Ailleurs" not in page and "Ancienne activité" not in page
    assert "Saisir" in page and f"{mine.campaign.date_limite:%d/%m/%Y}" in page


def test_filters_narrow_the_results(client, fr_da):
    activite = fr_da.habilitations.get().activite
    DeclarationFactory(activite=activite, state=State.EN_COURS)
    DeclarationFactory(activite=activite, exercice=2024, state=State.VALIDEE)
    client.force_login(fr_da)
    response = client.get(reverse("afas:declarations"), {"rechercher": "1", "state": "validee"})
    assertContains(response, "<td>2024</td>", html=True)
    assertNotContains(response, "<td>2025</td>", html=True)
    page = client.get(
        reverse("afas:declarations"), {"rechercher": "1", "activite_nom": "zzz"}
    ).content.decode()
    assert "Aucune déclaration ne correspond" in page


@pytest.mark.parametrize("count", [1, 50])
def test_list_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    user = UserFactory(declarant=True)
    for _ in range(count):
        activite = ActiviteFactory(organisme=user.organisme)
        HabilitationFactory(user=user, activite=activite)
        DeclarationFactory(activite=activite)
    client.force_login(user)
    # session, user, rights (memberships, administered conventions; cached for the menu), the user's
    # habilitations in force (the actions, and the activités whose declarations they see), the
    # declarations joined to activité/type/nature/campaign, the types and natures of the two choice
    # filters, the session's update (idle timeout) = 9, plus two savepoints around the session's update
    # = 11, whatever the row count (the page itself is not atomic: it only reads).
    with django_assert_num_queries(11):
        response = client.get(reverse("afas:declarations"), {"rechercher": "1"})
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 50])
def test_home_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    user = UserFactory(declarant=True)
    for _ in range(count):
        activite = ActiviteFactory(organisme=user.organisme)
        HabilitationFactory(user=user, activite=activite)
        DeclarationFactory(activite=activite)
    client.force_login(user)
    # session, user, rights (memberships, administered conventions), the user's habilitations in force
    # (the actions and the activités seen), the waiting declarations joined to activité/campaign, the
    # session's update = 7, plus 2 savepoints around the session's update (the page itself is not atomic:
    # it only reads).
    with django_assert_num_queries(9):
        response = client.get(reverse("afas:home"))
    assert len(response.context["waiting"]) == count


def test_habilitation_manager_reaches_accueil_afas_but_not_mes_declarations(client):
    manager = UserFactory(partner_admin=True, habiliter=True)
    client.force_login(manager)
    page = client.get(reverse("afas:home")).content.decode()
    assert "Aucune déclaration n'attend d'action de votre part." in page
    assert client.get(reverse("afas:declarations")).status_code == 403  # as in the menu: declarants only


def test_the_guide_states_the_rules_the_declaration_page_applies(client, fr_da):
    """The guide says what the checks and the campaign dates do today (issue 9 items 1 and 4): no
    « 20 % » alone, the bounds, the other alerts, « Hors délai » and the French way of typing numbers."""
    client.force_login(fr_da)
    guide = html.unescape(client.get(reverse("afas:guide")).content.decode())
    assert "plus de 366 jours d'ouverture, plus de 24 heures d'ouverture par jour" in guide
    assert "5\u202f000\u202f000 € pour un ALSH" in guide
    assert "plus de 50 % sur le total des charges" in guide and "doublé ou diminué de moitié" in guide
    assert "au plus 1\u202f000 caractères" in guide
    assert "La campagne ouvre le" in guide and "« Hors délai »" in guide
    assert "<code>1 234,50</code>" in guide and "1234,50" not in guide
    assert "écarte les déclarations aux chiffres invraisemblables" in guide
    tutorial = html.unescape(client.get(reverse("afas:tutorial")).content.decode())
    assert "de plus de 20 %" not in tutorial
