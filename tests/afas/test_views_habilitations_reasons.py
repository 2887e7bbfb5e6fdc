"""Issue 9, item 10: « Inactif » says why each habilitation grants nothing, decided by the model."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from afas.habilitations.filters import ACTIVITES_PER_PAGE
from afas.models import Habilitation, Role
from conventions.models import HabilitationGroup, Membership
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, HabilitationFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import MembershipFactory

SEARCH = reverse("afas:habilitations")
pytestmark = on_today
LATER = TODAY + datetime.timedelta(days=20)
EARLIER = TODAY - datetime.timedelta(days=20)


def reasons_shown(response):
    return {
        str(row.habilitation.user): row.habilitation.inactivity_reasons()
        for group in response.context["groups"]
        for row in group.rows
    }


def test_inactif_says_why_each_habilitation_grants_nothing(client, manager, organisme, activite):
    refused = UserFactory(organisme=organisme, declarant=True, nom="REFUS", prenom="Anne")
    HabilitationFactory(user=refused, activite=activite, refused=True)
    pending = UserFactory(organisme=organisme, declarant=True, nom="ATTENTE", prenom="Paul")
    HabilitationFactory(user=pending, activite=activite, approbateur=True)
    future = UserFactory(organisme=organisme, declarant=True, nom="FUTUR", prenom="Léa")
    HabilitationFactory(user=future, activite=activite, debut=LATER)
    closed = UserFactory(organisme=organisme, declarant=True, nom="FERME", prenom="Marc")
    HabilitationFactory(user=closed, activite=activite, role=Role.FR_DF)
    closed.close(by=manager, on=EARLIER)
    left = UserFactory(organisme=organisme, nom="PARTI", prenom="Luc")
    MembershipFactory(user=left, date_cloture=EARLIER)
    HabilitationFactory(user=left, activite=activite, role=Role.FR_DF)
    client.force_login(manager)
    response = client.get(SEARCH, {"etat": "inactif"})
    page = response.content.decode()
    assert reasons_shown(response) == {
        "REFUS Anne": ["Refusée par la CAF : Délégation de signature manquante"],
        "ATTENTE Paul": ["En attente de validation par votre CAF"],
        "FUTUR Léa": [f"à partir du {LATER:%d/%m/%Y}"],
        "FERME Marc": [f"compte fermé le {EARLIER:%d/%m/%Y}"],
        "PARTI Luc": [f"membre d'AFAS-DECLARER jusqu'au {EARLIER:%d/%m/%Y}"],
    }
    for reason in [
        "Refusée par la CAF : Délégation de signature manquante",
        "En attente de validation par votre CAF",
        f"à partir du {LATER:%d/%m/%Y}",
        f"compte fermé le {EARLIER:%d/%m/%Y}",
        f"membre d'AFAS-DECLARER jusqu'au {EARLIER:%d/%m/%Y}",
    ]:
        assert escape(f"Inactive : {reason}") in page


def test_reasons_add_up_and_name_coming_dates(organisme, activite):
    user = UserFactory(organisme=organisme, date_ouverture=LATER, nom="NOUVEAU", prenom="Eva")
    MembershipFactory(user=user, date_ouverture=LATER + datetime.timedelta(days=1))
    habilitation = HabilitationFactory(user=user, activite=activite, approbateur=True, debut=LATER)
    assert habilitation.inactivity_reasons() == [
        "En attente de validation par votre CAF",
        f"à partir du {LATER:%d/%m/%Y}",
        f"compte ouvert à partir du {LATER:%d/%m/%Y}",
        f"membre d'AFAS-DECLARER à partir du {LATER + datetime.timedelta(days=1):%d/%m/%Y}",
    ]
    Membership.objects.filter(user=user).delete()
    assert habilitation.inactivity_reasons()[-1] == "hors du groupe AFAS-DECLARER"


def test_an_habilitation_in_force_has_no_reason(declarant, activite):
    assert HabilitationFactory(user=declarant, activite=activite).inactivity_reasons() == []


@pytest.mark.parametrize(("count", "queries"), [(1, 17), (50, 18)])
def test_inactif_runs_a_constant_number_of_queries(
    client, manager, organisme, count, queries, django_assert_num_queries
):
    declarer = HabilitationGroup.objects.get(code=HabilitationGroup.DECLARER)
    for index in range(count):
        user = UserFactory(organisme=organisme, nom=f"USER{index:02d}")
        Membership.objects.create(user=user, group=declarer, date_ouverture=EARLIER, date_cloture=TODAY)
        HabilitationFactory(user=user, activite=ActiviteFactory(organisme=organisme, nom=f"A{index:02d}"))
    client.force_login(manager)
    # The search's (see test_search_runs_a_constant_number_of_queries: one more beyond a page of activités)
    # and the DECLARER memberships of the users listed (one prefetch), whatever their number.
    with django_assert_num_queries(queries):
        response = client.get(SEARCH, {"etat": "inactif"})
    assert len(response.context["groups"]) == min(count, ACTIVITES_PER_PAGE)
    reason = f"Inactive : membre d'AFAS-DECLARER jusqu'au {TODAY:%d/%m/%Y}"
    assertContains(response, f'<div class="small fst-italic portal-reason">{reason}</div>', html=True)
    assert Habilitation.objects.count() == count
