import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import User
from afas.models import (
    ActiviteStatistics,
    Campaign,
    Declaration,
    DeclarationStatistics,
    Habilitation,
    Receipt,
    State,
)

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


def test_demo_figures_are_plausible_and_its_campaigns_open():
    from afas.declarations.checks import number
    from afas.declarations.stats import is_plausible

    call_command("load_demo", "--force", stdout=io.StringIO())
    validated = Declaration.objects.filter(state=State.VALIDEE).prefetch_related("activity_data")
    assert validated and all(is_plausible(d) for d in validated)
    for declaration in Declaration.objects.select_related("campaign"):
        assert declaration.opens_on is None  # every demo declaration can be entered
        assert not declaration.is_late, declaration
        for part in declaration.activity_data.all():
            assert part.rejected == {} and all(number(v) is not None for v in part.values.values())


def test_demo_leaves_the_statistics_filled():
    call_command("load_demo", "--force", stdout=io.StringIO())
    validated = Declaration.objects.filter(state=State.VALIDEE, type="reel")
    assert validated.exists()
    assert ActiviteStatistics.objects.count() == validated.count()
    assert DeclarationStatistics.objects.aggregate(total=Sum("declarations"))["total"] == validated.count()


def test_demo_transmitted_declarations_have_their_receipt_once():
    call_command("load_demo", "--force", stdout=io.StringIO())
    call_command("load_demo", "--force", stdout=io.StringIO())
    transmitted = Declaration.objects.filter(state__in=[State.TRANSMISE, State.VALIDEE])
    assert transmitted.filter(state=State.TRANSMISE).exists()
    assert Receipt.objects.count() == transmitted.count()
    assert not transmitted.filter(receipts__isnull=True).exists()
    # Claire BERNARD, the demo's approbateur, sees receipts of her activités' declarations.
    claire = Declaration.objects.visible_to(User.objects.get(identifiant="100000001"))
    assert Receipt.objects.filter(declaration__in=claire).exists()
