import io

import pytest
from django.core.management import call_command

from afas.models import Campaign, Declaration, Habilitation, State

pytestmark = pytest.mark.django_db


def test_demo_declarations_load_twice_without_duplicates():
    call_command("load_demo", "--force", stdout=io.StringIO())
    counts = (Declaration.objects.count(), Campaign.objects.count(), Habilitation.objects.count())
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert (Declaration.objects.count(), Campaign.objects.count(), Habilitation.objects.count()) == counts
    states = set(Declaration.objects.values_list("state", flat=True))
    assert {State.A_SAISIR, State.EN_COURS, State.A_APPROUVER, State.TRANSMISE, State.VALIDEE} <= states
    assert Campaign.objects.filter(type="reel", exercice=2025).exists()
    assert Campaign.objects.filter(type="previsionnel", exercice=2026).exists()
    jean = Habilitation.objects.in_force().filter(user__identifiant="123456789")
    assert {h.role for h in jean} == {"fr_da", "fr_df"}
    assert (
        Habilitation.objects.in_force().filter(user__identifiant="100000001", role="approbateur").count() == 3
    )
