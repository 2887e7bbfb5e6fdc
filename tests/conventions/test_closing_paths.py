"""Every way of closing an account goes through accounts.closing.close_account: « Supprimer » and
« Modifier » in the portal, the back-office's form and its « Fermer le compte » action. Each signs the
account out at once, refuses to close a current MCP administrator and records who closed it; reopening
never brings an old session back; a closed account's link no longer sets a password."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User, UserSession
from accounts.services import one_time_link
from conventions.services import ADMINISTRATOR_NOT_CLOSED, update_partner_user
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.clock import TODAY, on_today

pytestmark = [pytest.mark.django_db, on_today]

LOGIN = reverse("accounts:login")
WELCOME = reverse("accounts:welcome")


def signed_in(user):
    browser = Client()
    response = browser.post(LOGIN, {"username": user.identifiant, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert browser.get(WELCOME).status_code == 200
    return browser


def is_signed_in(browser):
    return browser.get(WELCOME).status_code == 200


def modify_data(convention, user, date_cloture):
    return {
        "nom": user.nom,
        "prenom": user.prenom,
        "email": user.email,
        "email_confirmation": user.email,
        "telephone": "",
        "telephone_confirmation": "",
        "poste": user.poste,
        "organisme": convention.organisme_id,
        "date_ouverture": user.date_ouverture.isoformat(),
        "date_cloture": date_cloture.isoformat() if date_cloture else "",
    }


@pytest.fixture
def agent(convention):
    return UserFactory(caf_agent=True, caf=convention.organisme.caf, identifiant="agent.loire")


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


def admin_change_data(user, date_cloture):
    return {
        "nom": user.nom,
        "prenom": user.prenom,
        "email": user.email,
        "telephone": "",
        "poste": user.poste,
        "organisme": user.organisme_id,
        "date_ouverture": user.date_ouverture.strftime("%d/%m/%Y"),
        "date_cloture": date_cloture.strftime("%d/%m/%Y") if date_cloture else "",
    }


def test_closing_through_modifier_signs_the_user_out_and_records_who(admin_client, convention, admin, member):
    browser = signed_in(member)
    url = reverse("conventions:user_update", args=[convention.pk, member.pk])
    assert admin_client.post(url, modify_data(convention, member, TODAY)).status_code == 302
    member.refresh_from_db()
    assert member.date_cloture == TODAY and member.closed_by == admin
    assert not is_signed_in(browser)
    assert not UserSession.objects.filter(user=member).exists()
    assert not member.memberships.current().exists()


def test_closing_through_supprimer_signs_the_user_out(admin_client, convention, admin, member):
    browser = signed_in(member)
    admin_client.post(reverse("conventions:user_close", args=[convention.pk, member.pk]))
    member.refresh_from_db()
    assert member.date_cloture == TODAY and member.closed_by == admin
    assert not is_signed_in(browser)


def test_closing_through_the_back_office_form_signs_the_user_out(agent_client, agent, member):
    browser = signed_in(member)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    response = agent_client.post(url, admin_change_data(member, TODAY))
    assert response.status_code == 302, response.content.decode()
    member.refresh_from_db()
    assert member.date_cloture == TODAY and member.closed_by == agent
    assert not is_signed_in(browser)
    assert not member.memberships.current().exists()


def test_the_back_office_form_refuses_to_close_an_administrator(agent_client, admin):
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    response = agent_client.post(url, admin_change_data(admin, TODAY))
    assert response.status_code == 200
    assert ADMINISTRATOR_NOT_CLOSED in response.context["adminform"].form.errors["date_cloture"]
    admin.refresh_from_db()
    assert admin.date_cloture is None


def test_the_back_office_action_signs_out_and_skips_an_administrator(agent_client, agent, admin, member):
    browser = signed_in(member)
    admin_browser = signed_in(admin)
    response = agent_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "close_accounts", "_selected_action": [member.pk, admin.pk]},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert f"{admin} : {ADMINISTRATOR_NOT_CLOSED}" in texts and "1 compte(s) fermé(s)." in texts
    member.refresh_from_db()
    admin.refresh_from_db()
    assert member.date_cloture == TODAY and member.closed_by == agent
    assert admin.date_cloture is None
    assert not is_signed_in(browser) and is_signed_in(admin_browser)


def test_a_caf_agent_cannot_close_their_own_account_from_the_form(agent_client, agent):
    url = reverse("admin:accounts_user_change", args=[agent.pk])
    data = {**admin_change_data(agent, TODAY), "organisme": ""}
    response = agent_client.post(url, data)
    assert response.status_code == 200
    assert (
        "Vous ne pouvez pas fermer votre propre compte."
        in response.context["adminform"].form.errors["date_cloture"]
    )


def test_reopening_an_account_does_not_bring_its_old_session_back(admin_client, convention, admin, member):
    browser = signed_in(member)
    update_partner_user(member, by=admin, date_cloture=TODAY + datetime.timedelta(days=1))
    assert is_signed_in(browser)  # closes tomorrow: still at work today
    # The closing day comes (the session engine still holds the session, that no one ended): the row saved
    # without the closing service, whose save drops the signed-in user's cached row (accounts/user_cache.py).
    closing_day = User.objects.get(pk=member.pk)
    closing_day.date_cloture = TODAY
    closing_day.save(update_fields=["date_cloture"])
    assert not is_signed_in(browser)
    url = reverse("conventions:user_update", args=[convention.pk, member.pk])
    member.refresh_from_db()
    assert admin_client.post(url, modify_data(convention, member, None)).status_code == 302
    member.refresh_from_db()
    assert member.date_cloture is None and member.closed_by is None
    assert not is_signed_in(browser)  # signs in again, with their password
    assert is_signed_in(signed_in(member))


def test_a_closed_accounts_activation_link_does_not_set_a_password(client, rf, member):
    link = one_time_link(rf.get("/"), member, "accounts:activate").build()
    member.close(by=UserFactory(organisme=member.organisme))
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    assert not response.context["validlink"]
    client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else path,
        {"new_password1": "Un-nouveau-mot-de-passe-42", "new_password2": "Un-nouveau-mot-de-passe-42"},
    )
    member.refresh_from_db()
    assert member.check_password(DEFAULT_PASSWORD)
    assert not member.check_password("Un-nouveau-mot-de-passe-42")
