import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from afas.models import Activite, ActiviteStatistics, DeclarationStatistics, Habilitation, Lieu
from afas.models.declarations import ActivityData, Declaration, FinancialData, State
from conventions.models import Caf, Convention, ConventionAdministrator, Organisme
from devtools.volume.conventions import LARGE_PARTNER
from tests.accounts.factories import DEFAULT_PASSWORD

SMALL = dict(
    cafs=3, organismes=20, conventions=25, users=120, activites=60, lieux=150, habilitations=400,
    declarations=300, large_partner_users=30, large_partner_activites=15,
)  # fmt: skip


def generate(**counts):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_volume", stdout=out, stderr=err, **counts)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_generates_the_counts_asked_with_one_large_partner():
    out, progress = generate(**SMALL)
    assert Caf.objects.filter(code__startswith="D").count() == 3
    assert Organisme.objects.count() == 20 and Convention.objects.count() == 25
    assert User.objects.filter(organisme__isnull=False).count() == 120
    assert User.objects.filter(is_staff=True, caf__isnull=False).count() == 3  # one agent per Caf
    assert Activite.objects.count() == 60 and Lieu.objects.count() == 150
    assert Habilitation.objects.count() == 400
    large = Organisme.objects.get(raison_sociale=LARGE_PARTNER)
    assert large.users.count() == 30 and large.activites.count() == 15
    assert ConventionAdministrator.objects.count() == 20
    assert "habilitations : 400 lignes" in progress


@pytest.mark.django_db
def test_habilitations_come_in_every_state():
    generate(**SMALL)
    habilitations = Habilitation.objects.all()
    assert habilitations.in_force().exists() and habilitations.ended().exists()
    assert habilitations.inactive().filter(debut__gt="2026-01-01").exists()  # starts later
    decisions = set(habilitations.values_list("caf_decision", flat=True))
    assert decisions == {"not_required", "pending", "validated", "refused"}


@pytest.mark.django_db
def test_declarations_span_four_exercices_in_every_state_with_their_parts():
    generate(**SMALL)
    declarations = Declaration.objects.all()
    assert declarations.count() == 300 and FinancialData.objects.count() == 300
    assert set(declarations.values_list("exercice", flat=True)) == {2022, 2023, 2024, 2025}
    assert set(declarations.values_list("state", flat=True)) == set(State.values)
    lonely = ActivityData.objects.filter(lieu__isnull=True).count()
    per_lieu = ActivityData.objects.filter(lieu__isnull=False).count()
    assert per_lieu > 0 and lonely + per_lieu >= 300
    assert not declarations.filter(activity_data__isnull=True).exists()


@pytest.mark.django_db
def test_the_statistics_count_every_validated_declaration_reel():
    _, progress = generate(**SMALL)
    validated = Declaration.objects.filter(state=State.VALIDEE, type="reel")
    assert validated.exists() and ActiviteStatistics.objects.count() == validated.count()
    assert DeclarationStatistics.objects.exists() and "statistiques" in progress


@pytest.mark.django_db
def test_printed_logins_sign_in_with_the_printed_password():
    out, _ = generate(**SMALL)
    assert DEFAULT_PASSWORD in out
    identifiant = out.split("administrateur MCP du grand partenaire")[0].split()[-1]
    client = Client()
    client.post("/mon-compte-partenaire/connexion/", {"username": identifiant, "password": DEFAULT_PASSWORD})
    assert client.get("/mon-compte-partenaire/bienvenue/").status_code == 200


@pytest.mark.django_db
def test_refuses_to_generate_twice_in_the_same_database():
    generate(**SMALL)
    with pytest.raises(CommandError, match="déjà"):
        generate(**SMALL)
