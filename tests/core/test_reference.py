"""core/reference.py: the lists of libellés (types de partenaire, natures d'activité) share one shape."""

import pytest
from django.db import IntegrityError

from tests.afas.factories import ActivityNatureFactory
from tests.conventions.factories import PartnerTypeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [PartnerTypeFactory, ActivityNatureFactory])
def test_a_list_is_ordered_and_named_by_its_libelle_which_is_unique(factory):
    factory(libelle="Commune")
    factory(libelle="Association")
    model = factory._meta.model
    assert [str(row) for row in model.objects.all()] == ["Association", "Commune"]
    with pytest.raises(IntegrityError):
        model.objects.create(libelle="Commune")


@pytest.mark.parametrize("factory", [PartnerTypeFactory, ActivityNatureFactory])
def test_every_change_of_a_row_is_kept_in_its_history(factory):
    row = factory(libelle="Bailleur")
    row.libelle = "Bailleur social"
    row.save()
    assert [h.libelle for h in row.history.order_by("history_date")] == ["Bailleur", "Bailleur social"]
