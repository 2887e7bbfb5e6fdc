"""The audit trail also records accounts created and closed, group memberships added and closed and
lockouts lifted, whichever path did it (audit, issue 13)."""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin as admin_site
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.closing import close_account
from accounts.models import User
from afas.models import AuditAction, AuditEvent
from conventions.models import HabilitationGroup, Membership
from conventions.services import add_to_group, close_membership, create_partner_user
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.conventions.factories import OrganismeFactory, group

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(caf_agent=True)


@pytest.fixture
def partner(agent):
    return UserFactory(organisme=OrganismeFactory(caf=agent.caf), nom="DUBOIS")


def events(action, subject):
    return AuditEvent.objects.filter(action=action, subject=subject)


def test_a_user_created_in_the_portal_is_recorded(agent):
    by = UserFactory(organisme=OrganismeFactory(caf=agent.caf))
    user = create_partner_user(organisme=by.organisme, by=by, nom="NOUVEAU", prenom="Paul", email="p@x.fr")
    assert events(AuditAction.ACCOUNT_CREATED, user).get().actor == by


def test_a_user_created_in_the_back_office_is_recorded(client, agent, partner):
    client.force_login(agent)
    data = {
        "nom": "NOUVEAU",
        "prenom": "Paul",
        "email": "paul@clos.fr",
        "telephone": "",
        "poste": "sedentaire",
    }
    client.post(
        reverse("admin:accounts_user_add"),
        {**data, "organisme": partner.organisme.pk, "date_ouverture": "01/01/2026", "date_cloture": ""},
    )
    user = User.objects.get(email="paul@clos.fr")
    assert events(AuditAction.ACCOUNT_CREATED, user).get().actor == agent


def test_closing_an_account_is_recorded(agent, partner):
    close_account(partner, by=agent)
    assert events(AuditAction.ACCOUNT_CLOSED, partner).get().actor == agent


def test_memberships_added_and_closed_are_recorded(agent, partner):
    membership = add_to_group(partner, group(HabilitationGroup.DECLARER), datetime.date(2020, 1, 1), by=agent)
    close_membership(membership, by=agent)
    assert events(AuditAction.MEMBERSHIP_ADDED, partner).get().actor == agent
    closed = events(AuditAction.MEMBERSHIP_CLOSED, partner).get()
    assert closed.actor == agent and closed.details["groupe"] == "AFAS-DEC - AFAS Déclarer"


def test_closing_a_membership_in_the_back_office_form_records_who(client, agent, partner):
    membership = Membership.objects.create(
        user=partner, group=group(HabilitationGroup.DECLARER), date_ouverture=datetime.date(2020, 1, 1)
    )
    client.force_login(agent)
    response = client.post(
        reverse("admin:conventions_membership_change", args=[membership.pk]),
        {
            "user": partner.pk,
            "group": membership.group.pk,
            "date_ouverture": "01/01/2020",
            "date_cloture": "01/06/2026",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.date_cloture == datetime.date(2026, 6, 1)
    assert membership.closed_by == agent and membership.closed_at is not None
    assert events(AuditAction.MEMBERSHIP_CLOSED, partner).get().actor == agent


def test_a_superuser_lifts_the_lock_of_a_superuser_and_it_is_recorded(client):
    """Ten wrong passwords on a superuser's identifiant: another superuser lifts it from the back-office;
    the lift is in the trail and the failures stay in the history."""
    locked = UserFactory(caf_agent=True, is_superuser=True, identifiant="admin")
    for _ in range(10):
        Client().post(reverse("accounts:login"), {"username": "admin", "password": "mauvais"})
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "admin", "password": DEFAULT_PASSWORD})
        .status_code
        == 403
    )
    superuser = UserFactory(caf_agent=True, is_superuser=True, caf=None)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "lift_lockouts", "_selected_action": [locked.pk]},
    )
    assert response.status_code == 302
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "admin", "password": DEFAULT_PASSWORD})
        .status_code
        == 302
    )
    assert events(AuditAction.LOCKOUT_LIFTED, locked).get().actor == superuser
    assert AccessFailureLog.objects.filter(username="admin").count() >= 10


def test_an_agent_sees_the_account_events_of_their_caf_only(agent, partner):
    close_account(partner, by=agent)
    foreign = UserFactory(organisme=OrganismeFactory())
    close_account(foreign, by=agent)
    request = RequestFactory().get("/")
    request.user = agent
    visible = admin_site.site._registry[AuditEvent].get_queryset(request)
    assert set(visible.values_list("subject", flat=True)) == {partner.pk}
