import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from conventions.models import Convention, Membership
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.clock import on_today
from tests.conventions.conftest import BACKEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, convention):
    """An agent of the Clos des Potiers' Caf (the Caf de la Loire)."""
    client.force_login(UserFactory(caf_agent=True, caf=convention.caf), backend=BACKEND)
    return client


def test_agent_sees_only_their_cafs_conventions(agent_client, convention, other_convention):
    page = agent_client.get(reverse("admin:conventions_convention_changelist")).content.decode()
    assert "Centre Social le Clos des Potiers" in page and "COMMUNE DE MARTIGUES" not in page


def test_agent_cannot_open_another_cafs_convention(agent_client, other_convention):
    response = agent_client.get(
        reverse("admin:conventions_convention_change", args=[other_convention.pk]), follow=True
    )
    assert "COMMUNE DE MARTIGUES" not in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["admin:conventions_organisme_changelist", "admin:conventions_membership_changelist"],
)
def test_agent_lists_are_scoped(agent_client, member, foreign_user, url_name):
    page = agent_client.get(reverse(url_name)).content.decode()
    assert "COMMUNE DE MARTIGUES" not in page and "STEED" not in page


def test_foreign_key_choices_are_limited_to_the_agents_caf(agent_client, convention, other_convention):
    organisme_form = agent_client.get(reverse("admin:conventions_organisme_add")).content.decode()
    assert "Caf de la Loire" in organisme_form and "Caf des Bouches-du-Rhône" not in organisme_form
    convention_form = agent_client.get(reverse("admin:conventions_convention_add")).content.decode()
    assert "COMMUNE DE MARTIGUES" not in convention_form  # the partner is searched (autocomplete)
    found = agent_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "conventions", "model_name": "convention", "field_name": "organisme", "term": ""},
    ).json()["results"]
    assert [row["text"] for row in found] == ["Centre Social le Clos des Potiers"]


def test_partner_admin_without_staff_is_sent_to_the_admin_sign_in(client, admin):
    client.force_login(admin, backend=BACKEND)
    response = client.get(reverse("admin:conventions_convention_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_nobody_deletes_a_convention(agent_client, convention):
    response = agent_client.get(reverse("admin:conventions_convention_delete", args=[convention.pk]))
    assert response.status_code == 403
    assert Convention.objects.filter(pk=convention.pk).exists()


def test_change_administrator_records_the_avenant(agent_client, convention, admin):
    successor = UserFactory(organisme=convention.organisme, nom="SUCCESSEUR")
    former = convention.administrators.get()
    url = reverse("admin:conventions_convention_change_administrator", args=[convention.pk])
    assertContains(agent_client.get(url), "Changement d'administrateur MCP", html=True)
    response = agent_client.post(
        url,
        {
            "former": former.pk,
            "new_user": successor.pk,
            "avenant_date": "02/05/2024",
            "avenant_reference": "AV-2024-07",
        },
    )
    assert response.status_code == 302
    former.refresh_from_db()
    assert former.date_fin == datetime.date(2024, 5, 2)
    admin.refresh_from_db()
    assert admin.is_open()  # keeps their account
    new_row = convention.administrators.get(user=successor)
    assert (new_row.avenant_reference, new_row.avenant_date) == ("AV-2024-07", datetime.date(2024, 5, 2))
    assert list(Convention.objects.administered_by(successor)) == [convention]


def test_change_administrator_offers_only_the_partners_users(agent_client, convention, foreign_user):
    url = reverse("admin:conventions_convention_change_administrator", args=[convention.pk])
    assert "STEED" not in agent_client.get(url).content.decode()


def test_change_administrator_of_another_caf_is_a_404(agent_client, other_convention):
    url = reverse("admin:conventions_convention_change_administrator", args=[other_convention.pk])
    assert agent_client.get(url).status_code == 404


def test_close_action_ends_memberships_of_the_agents_caf_only(agent_client, member, foreign_user):
    own, foreign = member.memberships.get(), foreign_user.memberships.get()
    agent_client.post(
        reverse("admin:conventions_membership_changelist"),
        {"action": "close_selected", "_selected_action": [own.pk, foreign.pk]},
    )
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.date_cloture == timezone.localdate() and foreign.date_cloture is None
    assert Membership.objects.count() == 2


def test_admin_membership_form_refuses_an_overlap(agent_client, member):
    existing = member.memberships.get()
    response = agent_client.post(
        reverse("admin:conventions_membership_add"),
        {"user": member.pk, "group": existing.group_id, "date_ouverture": "01/06/2020", "date_cloture": ""},
    )
    assert response.status_code == 200 and "est déjà membre de ce groupe" in response.content.decode()


def test_administrators_inline_is_read_only(agent_client, convention, admin):
    response = agent_client.get(reverse("admin:conventions_convention_change", args=[convention.pk]))
    page = response.content.decode()
    assert admin.nom in page and "Changement d'administrateur MCP" in page
    assert 'name="administrators-0-user"' not in page and 'name="administrators-0-date_fin"' not in page
    assert "administrators-empty" not in page  # no « Ajouter un autre administrateur MCP »
    assertContains(response, "<b>Administrateur MCP\u00a0:</b>", html=True)  # the French colon
    assert "MCP:</b>" not in page


def test_a_posted_inline_changes_no_administrator(agent_client, convention, admin):
    """Only « Changement d'administrateur MCP » names or ends one, with its avenant."""
    outsider = UserFactory(organisme__caf=convention.caf, nom="PETIT")
    row = convention.administrators.get()
    url = reverse("admin:conventions_convention_change", args=[convention.pk])
    response = agent_client.post(
        url,
        {
            "libelle": convention.libelle,
            "caf": convention.caf_id,
            "organisme": convention.organisme_id,
            "date_ouverture": "24/02/2016",
            "date_cloture": "",
            "etat": "valable",
            "email_caf": "",
            "administrators-TOTAL_FORMS": "2",
            "administrators-INITIAL_FORMS": "1",
            "administrators-0-id": row.pk,
            "administrators-0-convention": convention.pk,
            "administrators-0-user": admin.pk,
            "administrators-0-seat": "1",
            "administrators-0-date_debut": "24/02/2016",
            "administrators-0-date_fin": "01/01/2024",
            "administrators-1-convention": convention.pk,
            "administrators-1-user": outsider.pk,
            "administrators-1-seat": "2",
            "administrators-1-date_debut": "01/01/2024",
        },
    )
    assert response.status_code == 302
    assert not Convention.objects.naming(outsider).exists()
    row.refresh_from_db()
    assert row.date_fin is None and convention.administrators.count() == 1


def test_back_office_lists_show_dates_as_jj_mm_aaaa(agent_client, convention):
    page = agent_client.get(reverse("admin:conventions_convention_changelist")).content.decode()
    assert "24/02/2016" in page and "février" not in page


@on_today
def test_change_administrator_asks_the_agent_to_confirm_their_identity(
    agent_client, convention, time_machine
):
    url = reverse("admin:conventions_convention_change_administrator", args=[convention.pk])
    time_machine.shift(datetime.timedelta(minutes=6))
    response = agent_client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    agent_client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD})
    assertContains(agent_client.get(url), "Changement d'administrateur MCP", html=True)
