"""« Habiliter un utilisateur »: the form shows the services' own decisions and messages (rule 4, « À partir
du » not in the past, scopes of the partner chosen), next to the field concerned."""

import datetime

import pytest

from afas.habilitations.forms import GrantForm
from afas.habilitations.services import (
    DEBUT_IN_THE_PAST,
    check_grant,
    foreign_scopes_refusal,
    lieu_refusal,
)
from afas.models import ROLES_ON_A_LIEU, Role
from tests.afas.factories import ActiviteFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import ConventionAdministratorFactory, ConventionFactory

pytestmark = [pytest.mark.django_db, on_today]


def grant_form(manager, organisme, declarant, **data):
    return GrantForm(
        manager,
        {
            "organisme": organisme.pk,
            "utilisateur": declarant.pk,
            "role": Role.FR_DA,
            "debut": TODAY.isoformat(),
            "portee": "activites",
            **data,
        },
    )


@pytest.mark.parametrize("role", Role.values)
def test_only_the_roles_on_a_lieu_may_be_granted_on_a_lieu(role, manager, organisme, declarant, lieux):
    form = grant_form(manager, organisme, declarant, role=role, portee="lieux", lieux=[lieux[0].pk])
    assert form.is_valid() == (role in ROLES_ON_A_LIEU)
    if role not in ROLES_ON_A_LIEU:
        assert form.errors["portee"] == [lieu_refusal(role)]
        errors = check_grant(organisme=organisme, user=declarant, role=role, debut=TODAY, lieux=lieux[:1])
        assert lieu_refusal(role) in errors


def test_a_debut_in_the_past_is_refused_with_the_services_message(manager, organisme, declarant, activite):
    yesterday = TODAY - datetime.timedelta(days=1)
    form = grant_form(manager, organisme, declarant, debut=yesterday.isoformat(), activites=[activite.pk])
    assert not form.is_valid()
    assert form.errors["debut"] == [DEBUT_IN_THE_PAST]


def test_scopes_of_another_partner_are_refused_with_the_services_message(
    manager, organisme, other_organisme, declarant, activite
):
    # The manager administers both partners: the other's activité is offered, but not for this partner.
    ConventionAdministratorFactory(convention=ConventionFactory(organisme=other_organisme), user=manager)
    foreign = ActiviteFactory(organisme=other_organisme, nom="ESC Commune de Martigues")
    form = grant_form(manager, organisme, declarant, activites=[activite.pk, foreign.pk])
    assert not form.is_valid()
    message = foreign_scopes_refusal(organisme, [foreign])
    assert form.non_field_errors() == [message]
    assert "n'appartiennent pas au partenaire Centre Social le Clos des Potiers" in message
