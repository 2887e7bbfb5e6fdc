"""The statistics' rollup (afas/declarations/rollup.py): kept in step with the Caf's validations, rebuilt
from the declarations to the same sums, read by « Statistiques » in a constant number of queries."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from afas.declarations import rollup, services
from afas.declarations.stats import FIGURES, SUMS, points_for, statistics_for
from afas.models import (
    Activite,
    ActiviteStatistics,
    ActivityData,
    Declaration,
    DeclarationStatistics,
    DeclarationType,
    FinancialData,
    State,
)
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory
from tests.conventions.factories import OrganismeFactory

from .declarations_data import activity, financial
from .stats_from_declarations import points_from_declarations

pytestmark = pytest.mark.django_db


def transmitted(activite, exercice=2024, type=DeclarationType.REEL, **values):
    return DeclarationFactory(
        activite=activite,
        exercice=exercice,
        type=type,
        state=State.TRANSMISE,
        values=activity(**values),
        financial=financial(),
    )


@pytest.fixture
def agent():
    return UserFactory(caf_agent=True)


@pytest.fixture
def allow_undoing_a_validation(monkeypatch):
    """No screen takes a validation back yet; the rollup follows any move out of « Validée » that one adds."""
    monkeypatch.setitem(services.TRANSITIONS, (State.VALIDEE, State.A_CORRIGER), services.CAF)


def undo(declaration, agent):
    services.return_for_correction(declaration, agent, "Validée par erreur", services.CAF)


def sums():
    """The Caf rows as comparable values (without ids)."""
    return {
        (row.pop("caf_id"), row.pop("activity_type_id"), row.pop("exercice")): row
        for row in DeclarationStatistics.objects.values(
            "caf_id", "activity_type_id", "exercice", "declarations", "outliers", *SUMS
        )
    }


def own_rows():
    return set(
        ActiviteStatistics.objects.values_list(
            "declaration_id", "caf_id", "activity_type_id", "exercice", *FIGURES, "plausible"
        )
    )


def test_the_caf_validation_adds_the_declaration_to_the_sums_of_its_caf(agent):
    activite = ActiviteFactory()
    declaration = transmitted(activite)
    assert not DeclarationStatistics.objects.exists()
    services.validate(declaration, agent)
    row = DeclarationStatistics.objects.get()
    assert (row.caf_id, row.activity_type_id, row.exercice) == (
        activite.organisme.caf_id,
        activite.type_id,
        2024,
    )
    assert row.declarations == 1 and row.outliers == 0
    assert row.prix_revient_horaire_numerator == 100000 and row.prix_revient_horaire_denominator == 50000
    assert row.taux_occupation_denominator == 80000 and row.heures_par_enfant_denominator == 80


def test_the_back_office_validation_fills_the_statistics(client):
    declaration = transmitted(ActiviteFactory())
    client.force_login(UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf))
    client.post(reverse("admin:afas_declaration_validate", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.state == State.VALIDEE
    assert DeclarationStatistics.objects.get().declarations == 1


def test_a_validation_refused_adds_nothing(agent):
    declaration = DeclarationFactory(state=State.EN_COURS, values=activity(), financial=financial())
    with pytest.raises(services.Refused):
        services.validate(declaration, agent)
    assert not DeclarationStatistics.objects.exists() and not ActiviteStatistics.objects.exists()


def test_only_declarations_reel_enter_the_statistics(agent):
    services.validate(transmitted(ActiviteFactory(), type=DeclarationType.PREVISIONNEL), agent)
    assert not DeclarationStatistics.objects.exists() and not ActiviteStatistics.objects.exists()


def test_an_outlier_is_counted_apart_from_the_sums(agent):
    activite = ActiviteFactory()
    services.validate(transmitted(activite), agent)
    services.validate(
        transmitted(ActiviteFactory(organisme__caf=activite.organisme.caf), jours_ouverture="400"), agent
    )
    row = DeclarationStatistics.objects.get()
    assert (row.declarations, row.outliers) == (1, 1)
    assert row.prix_revient_horaire_denominator == 50000  # the outlier's 50 000 h are not in the sums


def test_undoing_a_validation_takes_its_figures_back_out(agent, allow_undoing_a_validation):
    activite = ActiviteFactory()
    kept, undone = (
        transmitted(activite, 2024),
        transmitted(ActiviteFactory(organisme=activite.organisme), 2024),
    )
    services.validate(kept, agent)
    before = sums()
    services.validate(undone, agent)
    assert DeclarationStatistics.objects.get().declarations == 2
    undo(undone, agent)
    assert sums() == before
    assert not ActiviteStatistics.objects.filter(declaration=undone).exists()
    [item] = statistics_for([undone.activite])
    assert item["exercices"] == []


def test_undoing_the_last_validation_of_a_group_leaves_no_row(agent, allow_undoing_a_validation):
    declaration = transmitted(ActiviteFactory())
    services.validate(declaration, agent)
    undo(declaration, agent)
    assert not DeclarationStatistics.objects.exists()


def test_rebuild_equals_the_sums_kept_through_validations_and_undos(agent, allow_undoing_a_validation):
    organisme, elsewhere = OrganismeFactory(), OrganismeFactory()
    declarations = [
        transmitted(ActiviteFactory(organisme=organisme), 2024),
        transmitted(ActiviteFactory(organisme=organisme), 2024, heures_realisees_6_plus="10000"),
        transmitted(ActiviteFactory(organisme=organisme), 2025, capacite="60", inscrits_moins_6="7"),
        transmitted(ActiviteFactory(organisme=elsewhere), 2024, heures_ouverture_jour="25"),  # outlier
        transmitted(ActiviteFactory(organisme=elsewhere), 2024, heures_realisees_moins_6="12345.5"),
        transmitted(ActiviteFactory(organisme=elsewhere), 2025),
    ]
    for declaration in declarations:
        services.validate(declaration, agent)
    undo(declarations[1], agent)
    undo(declarations[3], agent)
    undo(declarations[5], agent)
    # Corrected and validated again, with other figures
    declarations[1].activity_data.update(values=activity(heures_realisees_6_plus="20000"))
    for state in (State.EN_COURS, State.A_APPROUVER, State.TRANSMISE):
        Declaration.objects.filter(pk=declarations[1].pk).update(state=state)
    declarations[1].state = State.TRANSMISE
    services.validate(declarations[1], agent)
    incremental, incremental_own = sums(), own_rows()
    assert len(incremental) == 3 and len(incremental_own) == 4

    call_command("rebuild_statistics", stdout=io.StringIO())

    assert sums() == incremental and own_rows() == incremental_own


def test_rebuild_statistics_counts_declarations_written_without_the_services():
    activite = ActiviteFactory()
    declaration = DeclarationFactory(activite=activite, values=activity(), financial=financial())
    Declaration.objects.filter(pk=declaration.pk).update(state=State.VALIDEE)
    out = io.StringIO()
    call_command("rebuild_statistics", stdout=out)
    assert "1 groupe(s)" in out.getvalue()
    assert DeclarationStatistics.objects.get().declarations == 1


def test_the_page_shows_the_figures_computed_from_the_declarations(agent, allow_undoing_a_validation):
    """The rollup against the former computation (every validated declaration loaded), on a small mixed set."""
    organisme = OrganismeFactory()
    mine = [ActiviteFactory(organisme=organisme) for _ in range(3)]
    sibling = ActiviteFactory(organisme__caf=organisme.caf)
    elsewhere = ActiviteFactory()
    other_type = ActiviteFactory(organisme=organisme, type__code="EAJE")
    validations = [
        transmitted(mine[0], 2023),
        transmitted(mine[0], 2024, heures_realisees_6_plus="31234.25"),
        transmitted(mine[1], 2024, jours_ouverture="400"),  # outlier: its own figures only
        transmitted(mine[2], 2024, capacite="55", inscrits_6_plus="9"),
        transmitted(sibling, 2023, heures_realisees_moins_6="15000"),
        transmitted(sibling, 2024),
        transmitted(elsewhere, 2024, capacite="70", heures_realisees_6_plus="45000"),
        transmitted(other_type, 2024),
    ]
    for declaration in validations:
        services.validate(declaration, agent)
    undo(validations[5], agent)
    activites = [*mine, other_type]
    for activite in activites:
        activite.refresh_from_db()  # with its organisme, as the page reads it
    expected = points_from_declarations(activites)
    assert points_for(activites) == expected
    assert expected[mine[1].pk][1] == [2024]
    assert expected[mine[0].pk][0]["prix_revient_horaire"][1][1]["national"] is not None


def many_validated(like, organismes, count):
    """`count` validated declarations « Réel » of activités of the same type as `like`, spread over the
    organismes, written in bulk, then counted by a rebuild."""
    activites = Activite.objects.bulk_create(
        Activite(organisme=organismes[n % len(organismes)], nom=f"A{n}", type=like.type, nature=like.nature)
        for n in range(count)
    )
    declarations = Declaration.objects.bulk_create(
        Declaration(activite=a, type=DeclarationType.REEL, exercice=2024, state=State.VALIDEE)
        for a in activites
    )
    ActivityData.objects.bulk_create(ActivityData(declaration=d, values=activity()) for d in declarations)
    FinancialData.objects.bulk_create(FinancialData(declaration=d, values=financial()) for d in declarations)
    rollup.rebuild()


@pytest.mark.parametrize("declarations", [1, 500])
def test_statistics_page_queries_do_not_grow_with_the_country(
    client, django_assert_max_num_queries, declarations
):
    habilitation = HabilitationFactory()
    mine = habilitation.activite
    organismes = [
        mine.organisme,
        OrganismeFactory(caf=mine.organisme.caf),
        OrganismeFactory(),
        OrganismeFactory(),
    ]
    many_validated(mine, organismes, declarations)
    DeclarationFactory(
        activite=mine, exercice=2024, state=State.VALIDEE, values=activity(), financial=financial()
    )
    client.force_login(habilitation.user)
    # session, user, groups, administrator or not, the user's activité ids, their activités, their own
    # figures, the sums of their Cafs, the national sums, session update; 4 savepoints
    with django_assert_max_num_queries(14):
        page = client.get(reverse("afas:statistics"))
    assert page.status_code == 200 and "2,00\u00a0€" in page.content.decode()
