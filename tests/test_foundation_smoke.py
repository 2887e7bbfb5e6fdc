import pytest

from conventions.rights import get_rights
from tests.accounts.factories import UserFactory
from tests.afas.factories import HabilitationFactory


@pytest.mark.django_db
def test_factories_build_a_partner_admin_in_both_groups():
    user = UserFactory(partner_admin=True, habiliter=True, declarant=True)
    rights = get_rights(user)
    assert rights.is_partner_admin and rights.can_manage_habilitations and rights.is_declarant
    assert user.administered_conventions.get().convention.organisme == user.organisme


@pytest.mark.django_db
def test_habilitation_factory_is_in_force_and_pending_approbateur_is_not():
    active = HabilitationFactory()
    pending = HabilitationFactory(approbateur=True)
    from afas.models import Habilitation

    assert list(Habilitation.objects.in_force()) == [active]
    assert list(Habilitation.objects.inactive()) == [pending]
