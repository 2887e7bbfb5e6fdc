"""The import of données d'activité (rules 23–25): each line judged as the form judges it, the scopes of
the user, the declaration states, and an apply that is all or nothing."""

import pytest

from afas.declarations import checks, imports
from afas.models import ActivityData, DeclarationImport, State
from tests.afas.factories import (
    ActiviteFactory,
    DeclarationFactory,
    DeclarationImportFactory,
    HabilitationFactory,
    LieuFactory,
)
from tests.clock import on_today

pytestmark = [pytest.mark.django_db, on_today]

A, L, M, V = imports.ACTIVITE_ID, imports.LIEU_ID, imports.MESURE_CODE, imports.VALEUR


def line(activite, code, value, lieu=""):
    return {A: str(activite.pk), L: str(getattr(lieu, "pk", lieu)), M: code, V: value}


def run(user, campaign, rows):
    """Starts the import of `rows` (numbered from line 2, after the header) and returns it checked."""
    started = imports.start_import(user, campaign, "donnees.csv", list(enumerate(rows, start=2)))
    started.refresh_from_db()
    return started


@pytest.fixture
def declaration():
    return DeclarationFactory(activite=ActiviteFactory(nom="Péri Assoc"))


@pytest.fixture
def provider(declaration):
    return HabilitationFactory(activite=declaration.activite).user


def test_a_line_changes_the_figure_stored_normalised_once_confirmed(declaration, provider):
    checked = run(provider, declaration.campaign, [line(declaration.activite, "jours_ouverture", "180")])
    assert checked.status == DeclarationImport.Status.CHECKED
    assert checked.preview["changes"][0]["line"] == 2
    part = declaration.activity_data.get()
    assert part.values == {}  # the check alone changes nothing

    imports.confirm_import(checked)

    checked.refresh_from_db()
    part.refresh_from_db()
    declaration.refresh_from_db()
    assert checked.status == DeclarationImport.Status.APPLIED
    assert part.values == {"jours_ouverture": "180"}
    assert (part.version, part.updated_by, part.complete) == (1, provider, False)
    assert declaration.state == State.EN_COURS
    assert declaration.state_changes.get().by == provider


def test_french_figures_are_read_as_the_form_reads_them(declaration, provider):
    rows = [
        line(declaration.activite, "heures_realisees_6_plus", "1 234,50"),
        line(declaration.activite, "heures_ouverture_jour", "12.5"),
        line(declaration.activite, "capacite", "=SOMME(A1:A3)"),
    ]
    checked = run(provider, declaration.campaign, rows)
    refused = checked.preview["refused"]
    assert [(r["line"], r["column"]) for r in refused] == [(3, V), (4, V)]
    assert refused[0]["message"] == checks.DOT_DECIMAL.format(french="12,5", typed="12.5")
    assert refused[1]["message"] == "Une formule n’est pas acceptée : saisissez la valeur elle-même."
    assert checked.preview["parts"][0]["values"] == {"heures_realisees_6_plus": "1234.50"}


def test_a_figure_out_of_its_bounds_is_refused_with_the_forms_message(declaration, provider):
    checked = run(
        provider,
        declaration.campaign,
        [line(declaration.activite, "jours_ouverture", "400"), line(declaration.activite, "capacite", "-3")],
    )
    messages = [r["message"] for r in checked.preview["refused"]]
    assert messages == ["Jours d'ouverture ne peut pas dépasser 366.", checks.NEGATIVE]


def test_nothing_is_applied_while_a_line_is_refused(declaration, provider):
    checked = run(
        provider,
        declaration.campaign,
        [line(declaration.activite, "jours_ouverture", "180"), line(declaration.activite, "capacite", "x")],
    )
    assert imports.may_apply(checked) == imports.HAS_REFUSED_LINES
    with pytest.raises(imports.Refused):
        imports.confirm_import(checked)
    assert declaration.activity_data.get().values == {}


def test_an_activite_of_another_partner_is_refused_like_an_unknown_one(declaration, provider):
    foreign = DeclarationFactory(campaign=declaration.campaign).activite
    rows = [line(foreign, "jours_ouverture", "180"), {A: "999999", L: "", M: "jours_ouverture", V: "1"}]
    checked = run(provider, declaration.campaign, rows)
    assert [r["message"] for r in checked.preview["refused"]] == [imports.UNKNOWN_ACTIVITE] * 2
    assert ActivityData.objects.get(declaration__activite=foreign).values == {}


def test_a_lieu_the_user_is_not_fr_da_of_is_refused():
    activite = ActiviteFactory()
    site, ecoles = (
        LieuFactory(activite=activite, nom="Site"),
        LieuFactory(activite=activite, nom="Site Ecoles"),
    )
    declaration = DeclarationFactory(activite=activite)
    user = HabilitationFactory(activite=activite, lieu=site).user
    rows = [
        line(activite, "jours_ouverture", "180", lieu=site),
        line(activite, "jours_ouverture", "180", lieu=ecoles),
        line(activite, "jours_ouverture", "180"),
    ]
    checked = run(user, declaration.campaign, rows)
    assert [(r["line"], r["message"]) for r in checked.preview["refused"]] == [
        (3, imports.NOT_YOUR_LIEU),
        (4, imports.LIEU_REQUIRED),
    ]
    assert [p["title"] for p in checked.preview["parts"]] == [f"{activite.nom} — Site"]


def test_a_transmitted_declaration_is_refused_with_its_state(provider, declaration):
    declaration.state = State.TRANSMISE
    declaration.save(update_fields=["state"])
    checked = run(provider, declaration.campaign, [line(declaration.activite, "jours_ouverture", "180")])
    assert checked.preview["refused"][0]["message"] == (
        "La déclaration est « Transmise à la Caf » : elle n'est plus modifiable."
    )


def test_the_stored_values_sent_back_change_nothing_even_once_transmitted(provider, declaration):
    declaration.activity_data.update(values={"capacite": "40"}, rejected={"jours_ouverture": "cent"})
    rows = [
        line(declaration.activite, "capacite", "40"),
        line(declaration.activite, "jours_ouverture", "cent"),
    ]
    assert run(provider, declaration.campaign, rows).preview["parts"] == []
    declaration.state = State.TRANSMISE
    declaration.save(update_fields=["state"])
    checked = run(provider, declaration.campaign, rows)
    assert (checked.preview["refused"], checked.preview["unchanged"]) == ([], 2)
    assert imports.may_apply(checked) == imports.NOTHING_TO_APPLY


def test_the_template_leaves_out_declarations_that_cannot_be_entered(provider, declaration):
    other = DeclarationFactory(
        activite=ActiviteFactory(organisme=declaration.activite.organisme),
        campaign=declaration.campaign,
        state=State.A_APPROUVER,
    )
    HabilitationFactory(user=provider, activite=other.activite)
    assert {row[0] for row in imports.template_rows(provider, declaration.campaign)} == {
        declaration.activite.pk
    }


def test_unknown_measure_duplicate_empty_value_and_empty_line(declaration, provider):
    rows = [
        line(declaration.activite, "tarif", "3"),
        line(declaration.activite, "capacite", "20"),
        line(declaration.activite, "capacite", "21"),
        line(declaration.activite, "inscrits_6_plus", ""),
        {A: "", L: "", M: "", V: ""},
    ]
    checked = run(provider, declaration.campaign, rows)
    refused = checked.preview["refused"]
    assert refused[0]["message"].startswith("Mesure inconnue pour ce type d'activité")
    assert (refused[1]["line"], refused[1]["message"]) == (4, imports.DUPLICATE.format(line=3))
    assert (checked.preview["unchanged"], checked.preview["empty"]) == (1, 1)


def test_the_apply_is_all_or_nothing_when_a_part_changed_since_the_check(provider):
    first = DeclarationFactory(activite=ActiviteFactory(nom="Extra Assoc"))
    second = DeclarationFactory(
        activite=ActiviteFactory(organisme=first.activite.organisme), campaign=first.campaign
    )
    HabilitationFactory(user=provider, activite=first.activite)
    HabilitationFactory(user=provider, activite=second.activite)
    checked = run(
        provider,
        first.campaign,
        [line(first.activite, "capacite", "20"), line(second.activite, "capacite", "30")],
    )
    ActivityData.objects.filter(declaration=second).update(values={"capacite": "5"}, version=1)

    imports.confirm_import(checked)

    checked.refresh_from_db()
    assert checked.status == DeclarationImport.Status.FAILED
    assert "modifiées depuis le contrôle du fichier" in checked.refusal
    assert first.activity_data.get().values == {}
    first.refresh_from_db()
    assert first.state == State.A_SAISIR


def test_confirming_twice_applies_once(declaration, provider):
    checked = run(provider, declaration.campaign, [line(declaration.activite, "capacite", "20")])
    imports.confirm_import(checked)
    with pytest.raises(imports.Refused):
        imports.confirm_import(checked)
    assert declaration.activity_data.get().version == 1


def test_the_preview_shows_the_checks_of_the_part_and_its_alerts(provider):
    activite = ActiviteFactory()
    HabilitationFactory(user=provider, activite=activite)
    DeclarationFactory(
        activite=activite,
        exercice=2024,
        state=State.VALIDEE,
        values={"heures_realisees_moins_6": "0", "heures_realisees_6_plus": "1000"},
    )
    declaration = DeclarationFactory(activite=activite)
    rows = [
        line(activite, "jours_ouverture", "10"),
        line(activite, "heures_ouverture_jour", "10"),
        line(activite, "capacite", "1"),
        line(activite, "heures_realisees_moins_6", "0"),
        line(activite, "heures_realisees_6_plus", "2000"),
    ]
    remark = run(provider, declaration.campaign, rows).preview["remarks"][0]
    assert remark["errors"][0].startswith("Les heures réalisées (2\u202f000,00\u00a0h) dépassent la capacité")
    assert remark["alerts"][0].startswith("Le nombre d'heures réalisées varie de +100,0 %")


def test_the_template_lists_the_users_parts_with_their_stored_values(declaration, provider):
    declaration.activity_data.update(values={"capacite": "1234"})
    DeclarationFactory(campaign=declaration.campaign)  # another partner's
    rows = imports.template_rows(provider, declaration.campaign)
    assert {row[0] for row in rows} == {declaration.activite.pk}
    assert [row[4] for row in rows] == [f.code for f in imports.activity_fields("ALSH")]
    assert rows[2][4:] == ["capacite", "Capacité (places)", "1\u202f234"]


def test_a_campaign_is_reachable_only_by_a_fr_da_of_one_of_its_declarations(declaration, provider):
    assert imports.get_campaign_for_provider(provider, declaration.campaign.pk) == declaration.campaign
    financial = HabilitationFactory(activite=declaration.activite, financial=True).user
    with pytest.raises(imports.Http404):
        imports.get_campaign_for_provider(financial, declaration.campaign.pk)
    with pytest.raises(imports.Http404):
        imports.get_campaign_for_provider(HabilitationFactory().user, declaration.campaign.pk)


def test_the_check_task_run_twice_checks_once(declaration, provider):
    from afas.declarations.import_tasks import check_import

    checked = run(provider, declaration.campaign, [line(declaration.activite, "capacite", "20")])
    DeclarationImport.objects.filter(pk=checked.pk).update(preview={"kept": True})
    check_import.enqueue(checked.pk)
    checked.refresh_from_db()
    assert checked.preview == {"kept": True}


def test_a_number_cell_of_a_workbook_reads_with_its_decimals(declaration, provider):
    lines = [(2, line(declaration.activite, "heures_ouverture_jour", "10.5"))]
    started = imports.start_import(provider, declaration.campaign, "donnees.xlsx", lines, workbook=True)
    started.refresh_from_db()
    assert started.preview["parts"][0]["values"] == {"heures_ouverture_jour": "10.5"}


def test_factory_builds_an_import_waiting_for_its_check():
    assert DeclarationImportFactory().status == DeclarationImport.Status.CHECKING
