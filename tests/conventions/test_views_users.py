import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.models import User
from conventions.models import HabilitationGroup
from tests.accounts.factories import UserFactory
from tests.conventions.conftest import PAGE_STATUS, PROFILES_OF_THIS_PARTNER, assert_no_foreign_names, body_of
from tests.conventions.factories import MembershipFactory, group

pytestmark = pytest.mark.django_db


def user_urls(convention, user):
    return {
        "conventions:users": [convention.pk],
        "conventions:user_create": [convention.pk],
        "conventions:user_update": [convention.pk, user.pk],
        "conventions:user_close": [convention.pk, user.pk],
    }


@pytest.mark.parametrize("profile", PROFILES_OF_THIS_PARTNER)
@pytest.mark.parametrize(
    "url_name",
    ["conventions:users", "conventions:user_create", "conventions:user_update", "conventions:user_close"],
)
def test_permission_matrix(client_as, convention, member, profile, url_name):
    response = client_as(profile).get(reverse(url_name, args=user_urls(convention, member)[url_name]))
    assert response.status_code == PAGE_STATUS[profile]
    if profile == "admin":
        assert_no_foreign_names(response)
    else:
        assert "DUBOIS" not in body_of(response)


@pytest.mark.parametrize("url_name", ["conventions:user_update", "conventions:user_close"])
def test_another_partners_user_is_a_404_even_through_my_convention(
    admin_client, convention, foreign_user, url_name
):
    response = admin_client.get(reverse(url_name, args=[convention.pk, foreign_user.pk]))
    assert response.status_code == 404
    response = admin_client.post(reverse("conventions:user_close", args=[convention.pk, foreign_user.pk]))
    foreign_user.refresh_from_db()
    assert response.status_code == 404 and foreign_user.date_cloture is None


def test_list_shows_the_organismes_users_with_the_deck_columns(
    admin_client, convention, member, foreign_user
):
    response = admin_client.get(reverse("conventions:users", args=[convention.pk]))
    page = response.content.decode()
    for header in [
        "Identifiant", "Nom", "Prénom", "Adresse mail", "Téléphone", "Date d'ouverture",
        "Date de clôture", "Statut", "Modifier / Supprimer", "Autres actions",
    ]:  # fmt: skip
        assertContains(response, f'<th scope="col">{header}</th>', html=True)
    assert member.identifiant in page and "01/10/2017" in page and "STEED" not in page
    assert f"?utilisateur={member.pk}" in page and "Ajouter à un groupe" in page


@pytest.fixture
def many_users(convention):
    UserFactory.create_batch(22, organisme=convention.organisme)


def test_list_is_paginated_by_20_with_the_deck_indicator(admin_client, convention, admin, member, many_users):
    url = reverse("conventions:users", args=[convention.pk])
    first = admin_client.get(url).content.decode()
    assert "(1 of 2)" in first and first.count("/modifier/") == 20
    second = admin_client.get(url, {"page": 2}).content.decode()
    assert "(2 of 2)" in second and second.count("/modifier/") == 4


def test_pagination_links_keep_the_filters(admin_client, convention, admin, many_users):
    page = admin_client.get(reverse("conventions:users", args=[convention.pk]), {"prenom": "", "page": 1})
    assertContains(page, '<a class="page-link" href="?prenom=&page=2">Page suivante</a>', html=True)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"identifiant": "1234"}, True),
        ({"identifiant": "999"}, False),
        ({"nom": "dub"}, True),
        ({"prenom": "JEAN"}, True),
        ({"nom": "martin"}, False),
    ],
)
def test_filters_on_identifiant_nom_prenom(admin_client, convention, admin, query, found):
    UserFactory(organisme=convention.organisme, identifiant="123456789", nom="DUBOIS", prenom="Jean")
    page = admin_client.get(reverse("conventions:users", args=[convention.pk]), query).content.decode()
    assert ("123456789" in page) is found


def test_group_filter_keeps_current_members_only(admin_client, convention, admin, member):
    former = UserFactory(organisme=convention.organisme, nom="ANCIEN")
    MembershipFactory(user=former, closed=True)
    declarer = group(HabilitationGroup.DECLARER)
    page = admin_client.get(reverse("conventions:users", args=[convention.pk]), {"groupe": declarer.pk})
    content = page.content.decode()
    assert [user.nom for user in page.context["page"]] == ["DUBOIS"]  # not ANCIEN (closed), nor BERNARD
    assertContains(page, '<td class="portal-text">DUBOIS</td>', html=True)
    assert "AFAS-DEC - AFAS Déclarer" in content and ">Tous<" in content


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, convention, admin, rows):
    UserFactory.create_batch(rows - 1, organisme=convention.organisme, declarant=True)
    client.force_login(admin, backend="accounts.backends.OpenUserBackend")
    url = reverse("conventions:users", args=[convention.pk])
    # session + user, rights (groups + is admin), convention, group choices, count, page of users, then
    # the session's idle-timeout update; plus 2 savepoints each for the request and the session update.
    with django_assert_num_queries(13):
        response = client.get(url, {"nom": ""})
    assert response.context["page"].paginator.count == rows


VALID = {
    "nom": "DURAND",
    "prenom": "Léa",
    "email": "lea.durand@csdp.fr",
    "email_confirmation": "lea.durand@csdp.fr",
    "telephone": "0477123456",
    "telephone_confirmation": "04 77 12 34 56",
    "poste": "itinerant",
    "date_ouverture": "2026-01-05",
    "date_cloture": "",
}


def post_create(client, convention, **changes):
    data = {**VALID, "organisme": convention.organisme_id, "groups": [group(HabilitationGroup.DECLARER).pk]}
    data.update(changes)
    return client.post(reverse("conventions:user_create", args=[convention.pk]), data)


def test_create_user_generates_identifiant_joins_groups_and_mails_the_activation_link(
    admin_client, convention, admin
):
    response = post_create(admin_client, convention)
    assert response.status_code == 302
    user = User.objects.get(nom="DURAND")
    assert user.organisme == convention.organisme and user.telephone == "04 77 12 34 56"
    assert user.poste == User.Poste.ITINERANT and user.date_ouverture == datetime.date(2026, 1, 5)
    assert list(user.memberships.values_list("group__code", flat=True)) == [HabilitationGroup.DECLARER]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lea.durand@csdp.fr"]
    assert user.identifiant in mail.outbox[0].body and "http://testserver/" in mail.outbox[0].body
    followed = admin_client.get(response["Location"]).content.decode()
    assert f"identifiant {user.identifiant}" in followed


def test_nom_is_saved_in_capitals_as_in_the_deck(admin_client, convention, admin):
    post_create(admin_client, convention, nom=" Le Gall ")
    assert User.objects.filter(nom="LE GALL", prenom="Léa").exists()


def test_create_form_shows_the_selected_convention_and_deck_fields(admin_client, convention):
    page = html.unescape(
        admin_client.get(reverse("conventions:user_create", args=[convention.pk])).content.decode()
    )
    for label in [
        "Convention sélectionnée", "Nom", "Prénom", "Adresse mail", "Confirmer l'adresse mail", "Téléphone",
        "Confirmer le téléphone", "Sédentaire (possède un poste fixe)", "Itinérant (poste de travail variable)",
        "AFAS-HABILITER", "AFAS-DECLARER", "Organisme partenaire", "Date d'ouverture", "Date de clôture",
    ]:  # fmt: skip
        assert label in page
    assert ">Valider</button>" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email_confirmation": "lea@csdp.fr"}, "email_confirmation", "Les deux adresses mail saisies ne correspondent pas."),
        ({"telephone_confirmation": "04 77 12 34 57"}, "telephone_confirmation", "Les deux numéros de téléphone saisis ne correspondent pas."),
        ({"telephone": "12345"}, "telephone", "Saisissez un numéro de téléphone français à 10 chiffres"),
        ({"date_cloture": "2026-01-04"}, "date_cloture", "La date de clôture doit être postérieure à la date d'ouverture (05/01/2026)."),
        ({"date_cloture": "2026-01-05"}, "date_cloture", "La date de clôture doit être postérieure à la date d'ouverture (05/01/2026)."),
        ({"date_ouverture": "1999-12-31"}, "date_ouverture", "Saisissez une date comprise entre le 01/01/2000 et le"),
        ({"date_ouverture": "2206-01-05"}, "date_ouverture", "Saisissez une date comprise entre le 01/01/2000 et le"),
        ({"email": "jean.dubois@csdp.fr", "email_confirmation": "jean.dubois@csdp.fr"}, "email", "déjà celle d'un utilisateur ouvert"),
        ({"nom": ""}, "nom", "Ce champ est obligatoire."),
        ({"nom": "DURAND<b>"}, "nom", "Les caractères < et > ne sont pas acceptés dans un nom ou un prénom."),
        ({"nom": "DURAND\r\nBcc: x@y.fr"}, "nom", "Un nom ou un prénom s'écrit sur une seule ligne"),
        ({"nom": "DURAND\tMARTIN"}, "nom", "Un nom ou un prénom s'écrit sur une seule ligne"),
        ({"email": "pas-une-adresse", "email_confirmation": "pas-une-adresse"}, "email", "Saisissez une adresse mail valide"),
    ],
)  # fmt: skip
def test_create_refuses_bad_input_at_the_field_and_keeps_what_was_typed(
    admin_client, convention, member, changes, field, message
):
    member.email = "jean.dubois@csdp.fr"
    member.save()
    count = User.objects.count()
    response = post_create(admin_client, convention, **changes)
    assert response.status_code == 200 and User.objects.count() == count and not mail.outbox
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page  # crispy puts the message under its field
    assert 'value="Léa"' in page and "Le formulaire contient" in page


def test_a_prenom_with_angle_brackets_is_refused_next_to_the_field(admin_client, convention):
    response = post_create(admin_client, convention, prenom="<Léa>")
    assert response.status_code == 200 and not User.objects.filter(nom="DURAND").exists()
    assert response.context["form"].errors["prenom"] == [
        "Les caractères < et > ne sont pas acceptés dans un nom ou un prénom."
    ]
    assert 'id="error_1_id_prenom"' in response.content.decode()


def test_an_address_of_a_closed_user_can_be_used_again(admin_client, convention):
    UserFactory(organisme=convention.organisme, email="lea.durand@csdp.fr", closed=True)
    assert post_create(admin_client, convention).status_code == 302


def test_update_changes_the_user_and_keeps_identifiant(admin_client, convention, member):
    url = reverse("conventions:user_update", args=[convention.pk, member.pk])
    page = admin_client.get(url).content.decode()
    assert member.identifiant in page and 'value="DUBOIS"' in page and 'name="groups"' not in page
    data = {**VALID, "organisme": convention.organisme_id, "nom": "DUBOIS-MARTIN", "email": member.email,
            "email_confirmation": member.email}  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302
    identifiant = member.identifiant
    member.refresh_from_db()
    assert (member.nom, member.identifiant, member.telephone) == (
        "DUBOIS-MARTIN",
        identifiant,
        "04 77 12 34 56",
    )


def test_update_keeps_its_own_address_but_refuses_a_colleagues(admin_client, convention, member, admin):
    url = reverse("conventions:user_update", args=[convention.pk, member.pk])
    data = {
        **VALID,
        "organisme": convention.organisme_id,
        "email": admin.email,
        "email_confirmation": admin.email,
    }
    response = admin_client.post(url, data)
    assert "déjà celle d'un utilisateur ouvert" in response.context["form"].errors["email"][0]


def test_close_asks_for_confirmation_then_closes_today(admin_client, convention, member, admin):
    url = reverse("conventions:user_close", args=[convention.pk, member.pk])
    page = admin_client.get(url).content.decode()
    assert "Voulez-vous vraiment fermer le compte" in page
    member.refresh_from_db()
    assert member.date_cloture is None
    response = admin_client.post(url)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.date_cloture, member.closed_by, member.statut) == (timezone.localdate(), admin, "Fermé")
    assert member.memberships.get().date_cloture == timezone.localdate()
    listing = admin_client.get(response["Location"])
    assertContains(listing, "Le compte de DUBOIS Jean est fermé à compter d'aujourd'hui.", html=True)


def test_closed_user_cannot_sign_in(client, admin_client, convention, member):
    admin_client.post(reverse("conventions:user_close", args=[convention.pk, member.pk]))
    admin_client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": member.identifiant, "password": "Portail-Demo-2026!"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_closing_an_administrator_is_refused_with_a_message(admin_client, convention, admin):
    colleague = UserFactory(organisme=convention.organisme)
    convention.administrators.create(user=colleague, seat=2, date_debut=datetime.date(2020, 1, 1))
    response = admin_client.post(
        reverse("conventions:user_close", args=[convention.pk, colleague.pk]), follow=True
    )
    colleague.refresh_from_db()
    assert colleague.date_cloture is None and "avenant" in response.content.decode()


def test_update_cannot_close_a_convention_administrator(admin_client, convention, admin):
    url = reverse("conventions:user_update", args=[convention.pk, admin.pk])
    data = {**VALID, "organisme": convention.organisme_id, "email": admin.email, "email_confirmation": admin.email,
            "date_cloture": "2027-01-01"}  # fmt: skip
    response = admin_client.post(url, data)
    assert "avenant" in response.context["form"].errors["date_cloture"][0]
    admin.refresh_from_db()
    assert admin.date_cloture is None
