"""The Caf back-office as an agent reads it: Paris time and JJ/MM/AAAA, French labels, searched pickers
scoped to the agent's Caf, and a 404 for an id that names nothing."""

import datetime
import html

import pytest
from django.contrib import admin
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from afas.models import State, StateChange
from tests.accounts.factories import UserFactory
from tests.afas.factories import DeclarationFactory
from tests.conventions.factories import CafFactory, MembershipFactory, OrganismeFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OUR_APPS = {"accounts", "conventions", "afas"}
# Fields left to Django's default verbose name (the field's name) because that name is already French.
FRENCH_FIELD_NAMES = {
    "id",
    "nom",
    "code",
    "identifiant",
    "poste",
    "exercice",
    "action",
    "habilitation",
    "adresse",
    "convention",
}
FRENCH_FIELD_NAMES |= {"raison sociale", "date limite"}


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True, organisme=None, identifiant="admin")
    client.force_login(user)
    return user


@pytest.fixture
def declaration(loire):
    return DeclarationFactory(
        activite__nom="Péri Assoc",
        activite__organisme__caf=loire,
        state=State.TRANSMISE,
        campaign__date_limite=datetime.date(2026, 4, 30),
    )


# -- a malformed or unknown id is a 404 -------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("object_id", ["abc", "999999", "1 OR 1=1"])
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_an_id_that_names_nothing_is_a_404_on_every_back_office_page(
    client, superuser, model, object_id, page
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=[object_id])
    assert client.get(url).status_code == 404


def test_another_cafs_declaration_is_a_404_for_the_agent(client, agent):
    foreign = DeclarationFactory(activite__organisme__caf=CafFactory(nom="Caf des Bouches-du-Rhône"))
    assert client.get(reverse("admin:afas_declaration_change", args=[foreign.pk])).status_code == 404


# -- Paris time, JJ/MM/AAAA -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "at",
    [datetime.datetime(2026, 1, 15, 22, 11, tzinfo=UTC), datetime.datetime(2026, 7, 15, 21, 11, tzinfo=UTC)],
    ids=["winter (UTC+1)", "summer (UTC+2)"],
)
def test_declaration_history_is_in_paris_time(client, agent, declaration, at):
    StateChange.objects.create(
        declaration=declaration, from_state=State.A_APPROUVER, to_state=State.TRANSMISE, by=agent, at=at
    )
    page = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk])).content.decode()
    assert f"{at:%d/%m/%Y} 23h11" in page
    assert f"{at:%H:%M}" not in page


def test_date_limite_is_jj_mm_aaaa_on_the_declaration_and_its_list(client, agent, declaration):
    change = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk])).content.decode()
    changelist = client.get(reverse("admin:afas_declaration_changelist")).content.decode()
    for page in (change, changelist):
        assert "30/04/2026" in page and "2026-04-30" not in page


# -- French business labels -------------------------------------------------------------------------


def test_app_labels_are_french_for_the_agent(client, agent):
    page = client.get(reverse("admin:index")).content.decode()
    assert "Blocages de connexion" in page and ">Axes<" not in page
    login = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "Blocages de connexion" in login


def test_app_labels_are_french_for_the_superuser(client, superuser):
    response = client.get(reverse("admin:index"))
    assertContains(response, "File d'envoi des mails", html=True)
    assertNotContains(response, "Tasks Database Backend")


def test_membership_list_columns_are_french(client, agent, loire):
    MembershipFactory(user__organisme=OrganismeFactory(caf=loire))
    page = client.get(reverse("admin:conventions_membership_changelist")).content.decode()
    assert "Utilisateur" in page and "Clôturée par" in page
    assert ">User<" not in page and "Closed by" not in page


@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if model._meta.app_label in OUR_APPS],
    ids=lambda model: model._meta.label,
)
def test_every_field_of_our_back_office_has_a_french_name(model):
    defaulted = [
        field.name
        for field in model._meta.concrete_fields
        if field.verbose_name == field.name.replace("_", " ") and field.verbose_name not in FRENCH_FIELD_NAMES
    ]
    assert defaulted == []


def test_justifications_are_named_by_what_they_justify(client, agent, declaration):
    declaration.activity_data.update(justifications={"heures_realisees": "Fermeture pour travaux."})
    declaration.financial_data.justifications = {
        "prix_revient_horaire": "Hausse des salaires.",
        "total_charges": "Nouveau local.",
    }
    declaration.financial_data.save()
    response = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk]))
    page = response.content.decode()
    assertContains(response, "Justification de l'écart : heures réalisées", html=True)
    assertContains(response, "Justification de l'écart : prix de revient horaire", html=True)
    assertContains(response, "Justification de l'écart : total des charges", html=True)
    assert (
        "heures_realisees" not in page and "prix_revient_horaire" not in page and "total_charges" not in page
    )


def test_back_office_titles_are_french(client):
    response = client.get(reverse("admin:login"))
    page = response.content.decode()
    assertContains(response, "<h1>Connexion au back-office</h1>", html=True)
    assert "Back-office Caf" in page
    assert "Django" not in page


# -- searched pickers, scoped to the agent's Caf -----------------------------------------------------


def autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def two_cafs(loire):
    clos = OrganismeFactory(raison_sociale="Centre Social le Clos des Potiers", caf=loire)
    martigues = OrganismeFactory(raison_sociale="COMMUNE DE MARTIGUES", caf=CafFactory(nom="Caf BdR"))
    UserFactory(nom="DUBOIS", prenom="Jean", identifiant="123456789", organisme=clos)
    UserFactory(nom="DUBOIS", prenom="John", identifiant="300000001", organisme=martigues)
    return clos, martigues


@pytest.mark.parametrize(
    "url_name",
    ["admin:conventions_membership_add", "admin:accounts_user_add", "admin:conventions_convention_add"],
)
def test_forms_search_users_and_organismes_instead_of_listing_them(client, agent, two_cafs, url_name):
    page = client.get(reverse(url_name)).content.decode()
    assert "admin-autocomplete" in page
    assert "DUBOIS" not in page and "Clos des Potiers" not in page


def test_user_search_shows_only_the_agents_caf(client, agent, two_cafs):
    assert autocomplete(client, "conventions", "membership", "user", "dubois") == ["DUBOIS Jean"]
    assert autocomplete(client, "conventions", "membership", "user", "300000001") == []
    assert autocomplete(client, "conventions", "conventionadministrator", "user", "dubois") == ["DUBOIS Jean"]
    assert "Agnès" not in " ".join(
        autocomplete(client, "conventions", "membership", "user")
    )  # agents aren't members


def test_organisme_search_shows_only_the_agents_caf(client, agent, two_cafs):
    for app_label, model_name in [("accounts", "user"), ("conventions", "convention"), ("afas", "activite")]:
        assert autocomplete(client, app_label, model_name, "organisme") == [
            "Centre Social le Clos des Potiers"
        ]
        assert autocomplete(client, app_label, model_name, "organisme", "martigues") == []


def test_user_search_of_the_other_caf_shows_none_of_the_loire(client, two_cafs):
    client.force_login(UserFactory(caf_agent=True, caf=two_cafs[1].caf))
    assert autocomplete(client, "conventions", "membership", "user", "dubois") == ["DUBOIS John"]


def test_partner_user_cannot_use_the_search(client, two_cafs):
    client.force_login(UserFactory(organisme=two_cafs[0]))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "conventions", "model_name": "membership", "field_name": "user", "term": "dubois"},
    )
    assert response.status_code == 302 and "DUBOIS" not in response.content.decode()


def test_audit_event_shows_its_action_and_details_in_words(client, agent, loire):
    from tests.afas.factories import AuditEventFactory

    event = AuditEventFactory(
        action="refused", habilitation__activite__organisme__caf=loire, details={"motif": "Pièce manquante"}
    )
    page = client.get(reverse("admin:afas_auditevent_change", args=[event.pk])).content.decode()
    assert "Approbateur refusé par la Caf" in page and "Motif : Pièce manquante" in page
    assert "refused" not in page and '{"' not in html.unescape(page)  # the details in words, not as JSON


def test_page_titles_are_plain_french(client, agent, declaration):
    changelist = client.get(reverse("admin:afas_declaration_changelist"))
    assertContains(changelist, "<h1>Déclarations</h1>", html=True)
    assertNotContains(changelist, "Sélectionnez")
    add = client.get(reverse("admin:conventions_membership_add"))
    assertContains(add, "<h1>Ajout : appartenance à un groupe</h1>", html=True)
    assertNotContains(add, "Ajout de appartenance")
    change = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk]))
    assertContains(change, "<h1>Modification : déclaration</h1>", html=True)
    app = client.get(reverse("admin:app_list", args=["afas"]))
    assertContains(app, "<h1>Aides financières d'action sociale</h1>", html=True)
    assertNotContains(app, "Administration de Aides")


def test_declaration_history_has_column_headers(client, agent, declaration):
    page = client.get(reverse("admin:afas_declaration_change", args=[declaration.pk]))
    assertContains(page, '<th scope="col">Changement d\'état</th>', html=True)


def test_sign_in_attempt_is_named_by_its_identifiant_in_french(client, agent, loire):
    from axes.models import AccessAttempt

    UserFactory(identifiant="123456789", organisme=OrganismeFactory(caf=loire))
    attempt = AccessAttempt.objects.create(
        username="123456789", failures_since_start=2, ip_address="127.0.0.1", user_agent="Firefox", get_data="",
        post_data="", http_accept="", path_info="/mon-compte-partenaire/connexion/",
    )  # fmt: skip
    page = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()
    assert "Identifiant 123456789" in page and "Navigateur" in page
    assert "Attempted Access" not in page and "User Agent" not in page
    assert "Nom d'utilisateur" not in html.unescape(page)


def test_mail_queue_is_in_french_for_the_superuser(client, superuser):
    response = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    page = response.content.decode()
    assertContains(response, "Mails en file d'envoi", html=True)
    assert "En échec" in page
    assert "Task Result" not in page and "Failed" not in page


def test_back_office_sign_out_says_vous_etes_deconnecte(client, agent):
    response = client.post(reverse("admin:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:login")
    assert "Vous êtes déconnecté." in response.content.decode()
    assertContains(response, "<h1>Connexion au back-office</h1>", html=True)
    assert client.get(reverse("admin:index")).status_code == 302
