import datetime

import pytest
from django.utils import timezone

from accounts.models import User, generate_identifiant
from tests.accounts.factories import UserFactory
from tests.conventions.factories import CafFactory, OrganismeFactory

pytestmark = pytest.mark.django_db


def test_generated_identifiant_has_nine_digits_and_is_never_reused():
    UserFactory(identifiant="123456789")
    identifiants = {generate_identifiant() for _ in range(50)}
    assert all(len(i) == 9 and i.isdigit() for i in identifiants)
    assert "123456789" not in identifiants


def test_create_user_generates_an_identifiant():
    user = User.objects.create_user(nom="DUBOIS", prenom="Jean", email="j@example.fr")
    assert len(user.identifiant) == 9 and user.identifiant.isdigit()


def test_statut_follows_the_dates():
    today = timezone.localdate()
    assert UserFactory().statut == "Ouvert"
    assert UserFactory(date_cloture=today).statut == "Fermé"  # the closing day is the first day closed
    assert UserFactory(date_cloture=today + datetime.timedelta(days=1)).statut == "Ouvert"
    assert UserFactory(date_ouverture=today + datetime.timedelta(days=1)).statut == "Fermé"


def test_open_queryset_leaves_out_closed_and_future_accounts():
    opened = UserFactory()
    UserFactory(closed=True)
    UserFactory(date_ouverture=timezone.localdate() + datetime.timedelta(days=3))
    assert list(User.objects.open()) == [opened]


def test_close_sets_the_date_and_who_and_keeps_the_user():
    agent = UserFactory(caf_agent=True)
    user = UserFactory()
    user.close(by=agent)
    user.refresh_from_db()
    assert user.date_cloture == timezone.localdate() and user.closed_by == agent
    assert user.statut == "Fermé"


def test_of_caf_gives_partner_users_and_agents_of_that_caf_only():
    loire, bdr = CafFactory(nom="Caf de la Loire"), CafFactory(nom="Caf des Bouches-du-Rhône")
    partner = UserFactory(organisme=OrganismeFactory(caf=loire))
    agent = UserFactory(caf_agent=True, caf=loire)
    UserFactory(organisme=OrganismeFactory(caf=bdr))
    UserFactory(caf_agent=True, caf=bdr)
    assert set(User.objects.of_caf(loire.pk)) == {partner, agent}
