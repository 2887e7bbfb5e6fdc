"""Decision 14: an administrator of a convention closed or « Dénoncée » has no administrator rights on it
(menus, pages, POSTs); their rights on another, valid convention stay."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.models import User
from afas.habilitations.services import partner_administrators
from afas.models import Activite, Habilitation
from conventions.models import Convention, Organisme
from conventions.rights import get_rights
from portal.menu import build_menu
from tests.afas.factories import HabilitationFactory
from tests.conventions.conftest import BACKEND
from tests.conventions.factories import ConventionAdministratorFactory, ConventionFactory, MembershipFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
ENDINGS = {
    "dénoncée": {"etat": Convention.Etat.DENONCEE},
    "fermée": {"date_cloture": YESTERDAY},
}


def menu_labels(user):
    return [item["label"] for section in build_menu(user) for item in section["items"]]


@pytest.fixture(params=ENDINGS, ids=list(ENDINGS))
def ended(request, convention, admin):
    Convention.objects.filter(pk=convention.pk).update(**ENDINGS[request.param])
    return convention


def test_the_administrator_of_an_ended_convention_loses_the_menus(ended, admin):
    labels = menu_labels(admin)
    assert not get_rights(admin).is_partner_admin
    assert "Consulter les conventions" not in labels and "Habilitations de mes utilisateurs" not in labels
    assert labels == [
        "Modifier mon adresse mail",
        "Sécuriser mon compte",
        "Mes notifications",
        "Mes connexions",
    ]


@pytest.mark.parametrize(
    "url_name", ["conventions:detail", "conventions:users", "conventions:groups", "conventions:edp"]
)
def test_the_pages_of_an_ended_convention_are_refused(admin_client, ended, url_name):
    assert admin_client.get(reverse(url_name, args=[ended.pk])).status_code == 403
    assert admin_client.get(reverse("conventions:list")).status_code == 403


def test_creating_a_user_in_an_ended_convention_is_refused(admin_client, ended):
    count = User.objects.count()
    response = admin_client.post(
        reverse("conventions:user_create", args=[ended.pk]),
        {"nom": "DURAND", "prenom": "Léa", "email": "lea@x.fr", "email_confirmation": "lea@x.fr"},
    )
    assert response.status_code == 403 and User.objects.count() == count


def test_an_ended_convention_is_a_404_beside_a_valid_one(client, ended, admin):
    valid = ConventionFactory(organisme=ended.organisme, libelle="Convention valable")
    ConventionAdministratorFactory(convention=valid, user=admin)
    client.force_login(admin, backend=BACKEND)
    assert client.get(reverse("conventions:users", args=[valid.pk])).status_code == 200
    assert client.get(reverse("conventions:users", args=[ended.pk])).status_code == 404
    response = client.get(reverse("conventions:list"))
    page = response.content.decode()
    # Still listed (the deck's Statut and État filters find it), without its actions.
    assert "Convention valable" in page
    assertContains(response, "<td>Centre Social le Clos des Potiers</td>", html=True)
    assert reverse("conventions:users", args=[valid.pk]) in page
    assert reverse("conventions:users", args=[ended.pk]) not in page
    assert "Aucune : convention " in page
    response = client.post(reverse("conventions:user_close", args=[ended.pk, admin.pk]))
    assert response.status_code == 404


def test_a_suspended_convention_keeps_its_administrator(convention, admin):
    Convention.objects.filter(pk=convention.pk).update(etat=Convention.Etat.SUSPENDUE)
    assert get_rights(admin).is_partner_admin


def test_afas_management_follows_the_convention(ended, admin):
    MembershipFactory(user=admin, habiliter=True)
    assert not get_rights(admin).can_manage_habilitations
    assert admin not in partner_administrators(ended.organisme)


def test_the_administrator_of_an_ended_convention_administers_no_organisme(ended, admin):
    habilitation = HabilitationFactory(activite__organisme=ended.organisme)
    assert not Organisme.objects.administered_by(admin).exists()
    assert not Activite.objects.managed_by(admin).exists()
    assert not Habilitation.objects.managed_by(admin).filter(pk=habilitation.pk).exists()


def test_the_administrator_of_a_valid_convention_administers_its_organisme(convention, admin):
    assert list(Organisme.objects.administered_by(admin)) == [convention.organisme]
