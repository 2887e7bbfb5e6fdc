import pytest

from afas.declarations.forms import DeclarationFilter
from conventions.filters import ConventionFilter, PartnerUserFilter

pytestmark = pytest.mark.django_db


def empty_choice(field):
    return field.empty_label if hasattr(field, "empty_label") else dict(field.choices)[""]


@pytest.mark.parametrize(
    ("filterset", "name", "label"),
    [
        (ConventionFilter, "type", "Tous"),
        (ConventionFilter, "statut", "Tous"),
        (ConventionFilter, "organisme", "Tous"),
        (ConventionFilter, "etat", "Tous"),
        (PartnerUserFilter, "groupe", "Tous"),
        (DeclarationFilter, "type", "Tous"),
        (DeclarationFilter, "exercice", "Tous"),
        (DeclarationFilter, "state", "Tous"),
        (DeclarationFilter, "activite_type", "Tous"),
        (DeclarationFilter, "activite_nature", "Toutes"),
    ],
)
def test_a_search_list_offers_all_when_nothing_is_chosen(filterset, name, label):
    assert empty_choice(filterset(queryset=filterset._meta.model.objects.none()).form.fields[name]) == label
