"""Issue 9, item 13: portal searches ignore accents and case (on SQLite and PostgreSQL alike), and user
drop-downs tell homonyms apart by their identifiant."""

import pytest
from django.urls import reverse

from accounts.models import User
from afas.habilitations.filters import HabilitationSearchForm
from afas.habilitations.forms import GrantForm
from afas.models import Activite
from conventions.forms import AddToGroupForm
from core.search import normalise
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory
from tests.conventions.conftest import BACKEND
from tests.conventions.factories import ConventionAdministratorFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Zoé", "zoe"), ("PÉRI  Assoc", "peri assoc"), ("Cœur", "coeur"), ("Ç'a été", "c'a ete"), ("", "")],
)
def test_normalise(typed, expected):
    assert normalise(typed) == expected


def test_the_normalised_columns_follow_every_save():
    user = UserFactory(nom="LEFÈVRE", prenom="Zoé")
    assert (user.nom_search, user.prenom_search) == ("lefevre", "zoe")
    user.nom = "DURAND-ÉTIENNE"
    user.save(update_fields=["nom"])
    assert User.objects.get(pk=user.pk).nom_search == "durand-etienne"
    activite = ActiviteFactory(nom="Péri Assoc")
    assert Activite.objects.get(pk=activite.pk).nom_search == "peri assoc"


@pytest.fixture
def convention_admin():
    row = ConventionAdministratorFactory(user__nom="BERNARD", user__prenom="Claire")
    return row.convention, row.user


@pytest.mark.parametrize(("field", "typed"), [("prenom", "zoe"), ("prenom", "ZOÉ"), ("nom", "lefevre")])
def test_users_list_filters_ignore_accents_and_case(client, convention_admin, field, typed):
    convention, admin = convention_admin
    UserFactory(organisme=convention.organisme, nom="LEFÈVRE", prenom="Zoé")
    UserFactory(organisme=convention.organisme, nom="MOREAU", prenom="Paul")
    client.force_login(admin, backend=BACKEND)
    response = client.get(reverse("conventions:users", args=[convention.pk]), {field: typed})
    assert [str(u) for u in response.context["page"]] == ["LEFÈVRE Zoé"]


def test_supervision_name_search_ignores_accents_and_case(client, convention_admin):
    convention, admin = convention_admin
    UserFactory(organisme=convention.organisme, nom="LEFÈVRE", prenom="Zoé")
    client.force_login(admin, backend=BACKEND)
    page = client.get(reverse("afas:supervision"), {"nom": "lefevre"}).content.decode()
    assert "LEFÈVRE Zoé" in page and "BERNARD Claire" not in page


def test_mes_declarations_activity_name_ignores_accents_and_case(client):
    declarant = HabilitationFactory(activite__nom="Péri Assoc").user
    DeclarationFactory(activite=declarant.habilitations.get().activite)
    client.force_login(declarant)
    page = client.get(reverse("afas:declarations"), {"rechercher": "1", "activite_nom": "peri"})
    assert "Péri Assoc" in page.content.decode() and len(page.context["rows"]) == 1


def labels(field):
    return [label for value, label in field.choices if value != ""]


def test_user_drop_downs_show_the_identifiant_beside_homonyms_only(convention_admin):
    convention, admin = convention_admin
    first = UserFactory(organisme=convention.organisme, nom="DUPONT", prenom="Marie", declarant=True)
    second = UserFactory(organisme=convention.organisme, nom="Dupont", prenom="Marié", declarant=True)
    UserFactory(organisme=convention.organisme, nom="DUPONT", prenom="Jean", declarant=True)
    expected = {f"DUPONT Marie ({first.identifiant})", f"DUPONT Marié ({second.identifiant})", "DUPONT Jean"}
    assert expected <= set(labels(AddToGroupForm(convention=convention).fields["user"]))
    assert "BERNARD Claire" in labels(AddToGroupForm(convention=convention).fields["user"])
    MembershipFactory(user=admin, habiliter=True)
    assert expected <= set(labels(HabilitationSearchForm(admin).fields["utilisateur"]))
    assert expected <= set(labels(GrantForm(admin).fields["utilisateur"]))


@pytest.mark.parametrize("typed", ["creche", "CRÈCHE", "crèche des lutins"])
def test_conventions_libelle_filter_ignores_accents_and_case(client, typed):
    """« Consulter les conventions », filter « Libellé »: « creche » finds « Crèche des Lutins »."""
    row = ConventionAdministratorFactory(convention__libelle="Crèche des Lutins")
    client.force_login(row.user, backend=BACKEND)
    page = client.get(reverse("conventions:list"), {"libelle": typed}).content.decode()
    assert "Crèche des Lutins" in page and "Aucune convention" not in page
    assert (
        "Crèche des Lutins"
        not in client.get(reverse("conventions:list"), {"libelle": "halte"}).content.decode()
    )
