import datetime
from itertools import product

import pytest
from django.core import mail

from afas.declarations import services
from afas.declarations.review import load_data, previous_activity_values, review_activity
from afas.models import ActivityData, Campaign, Declaration, FinancialData, State, StateChange
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    ActiviteFactory,
    CampaignFactory,
    DeclarationFactory,
    HabilitationFactory,
    LieuFactory,
)

from .declarations_data import activity, financial

pytestmark = pytest.mark.django_db

ACTORS = [services.PROVIDER, services.APPROBATEUR, services.CAF]
ALLOWED = set(services.TRANSITIONS.items())
EVERY_MOVE = [
    (from_state, to_state, actor)
    for from_state, to_state, actor in product(State.values, State.values, ACTORS)
    if from_state != to_state
]


@pytest.mark.parametrize(("from_state", "to_state", "actor"), EVERY_MOVE)
def test_transition_table(from_state, to_state, actor):
    declaration = DeclarationFactory(state=from_state)
    user = UserFactory()
    allowed = ((State(from_state), State(to_state)), actor) in ALLOWED
    if allowed:
        services.transition(declaration, to_state, user, actor, comment="À revoir")
        declaration.refresh_from_db()
        assert declaration.state == to_state
        change = StateChange.objects.get(declaration=declaration)
        assert (change.from_state, change.to_state, change.by) == (from_state, to_state, user)
    else:
        with pytest.raises(Refused):
            services.transition(declaration, to_state, user, actor, comment="À revoir")
        declaration.refresh_from_db()
        assert declaration.state == from_state
        assert not StateChange.objects.exists()


def test_the_allowed_moves_are_the_documented_ones():
    assert set(services.TRANSITIONS) == {
        (State.A_SAISIR, State.EN_COURS),
        (State.A_CORRIGER, State.EN_COURS),
        (State.EN_COURS, State.A_APPROUVER),
        (State.A_APPROUVER, State.TRANSMISE),
        (State.A_APPROUVER, State.A_CORRIGER),
        (State.TRANSMISE, State.VALIDEE),
        (State.TRANSMISE, State.A_CORRIGER),
    }


def test_returning_for_correction_requires_a_comment():
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    with pytest.raises(Refused, match="commentaire est obligatoire"):
        services.transition(declaration, State.A_CORRIGER, UserFactory(), services.APPROBATEUR, comment="  ")


def test_a_stale_declaration_cannot_move_twice():
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    stale = Declaration.objects.get(pk=declaration.pk)
    services.transmit(declaration, UserFactory())
    with pytest.raises(Refused, match="changé entre-temps"):
        services.transition(stale, State.A_CORRIGER, UserFactory(), services.APPROBATEUR, "x")


def test_parts_per_lieu_or_for_the_activite():
    single = ActiviteFactory()
    LieuFactory(activite=single)
    several = ActiviteFactory()
    LieuFactory.create_batch(2, activite=several)
    assert [p.lieu for p in DeclarationFactory(activite=single).activity_data.all()] == [None]
    assert DeclarationFactory(activite=several).activity_data.filter(lieu__isnull=False).count() == 2


def test_saving_a_draft_keeps_invalid_values_and_starts_the_entry():
    declaration = DeclarationFactory()
    part = declaration.activity_data.get()
    user = UserFactory()
    services.save_part(
        part, activity(capacite="-4", jours_ouverture="beaucoup", heures_facturees="52 000,5"), {}, 0, user
    )
    part.refresh_from_db()
    assert part.values["capacite"] == "-4" and part.rejected == {"jours_ouverture": "beaucoup"}
    assert part.values["heures_facturees"] == "52000.5"  # stored normalised
    assert (part.version, part.updated_by, part.complete) == (1, user, False)
    declaration.refresh_from_db()
    assert declaration.state == State.EN_COURS


def test_a_second_save_from_the_same_version_is_refused_without_overwriting():
    declaration = DeclarationFactory()
    part = declaration.activity_data.get()
    first, second = UserFactory(), UserFactory()
    services.save_part(part, activity(capacite="41"), {}, 0, first)
    with pytest.raises(services.ConcurrentEdit) as refused:
        services.save_part(ActivityData.objects.get(pk=part.pk), activity(capacite="99"), {}, 0, second)
    assert refused.value.current.values["capacite"] == "41"
    assert refused.value.current.updated_by == first
    assert ActivityData.objects.get(pk=part.pk).values["capacite"] == "41"


def test_no_save_after_transmission():
    declaration = DeclarationFactory(state=State.TRANSMISE)
    with pytest.raises(Refused, match="plus modifiable"):
        services.save_part(declaration.financial_data, financial(), {}, 0, UserFactory())


def test_blocking_error_prevents_completion():
    declaration = DeclarationFactory()
    part = declaration.activity_data.get()
    result = services.complete_part(part, activity(heures_realisees_6_plus="90000"), {}, 0, UserFactory())
    assert not result.may_complete
    part.refresh_from_db()
    assert not part.complete and part.values["heures_realisees_6_plus"] == "90000"


def test_both_parts_complete_make_it_a_approuver_and_mail_the_approbateur(django_capture_on_commit_callbacks):
    approbateur = HabilitationFactory(validated=True, user__email="appro@example.fr")
    declaration = DeclarationFactory(activite=approbateur.activite)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_part(declaration.activity_data.get(), activity(), {}, 0, user)
        declaration.refresh_from_db()
        assert declaration.state == State.EN_COURS
        services.complete_part(declaration.financial_data, financial(), {}, 0, user)
    declaration.refresh_from_db()
    assert declaration.state == State.A_APPROUVER
    assert [m.to for m in mail.outbox] == [["appro@example.fr"]]
    assert "Déclaration à approuver" in mail.outbox[0].subject
    assert f"/afas/declarations/{declaration.pk}/" in mail.outbox[0].body


def test_alert_needs_a_justification_to_complete():
    activite = ActiviteFactory()
    DeclarationFactory(
        activite=activite, exercice=2024, values=activity(), financial=financial(), state=State.VALIDEE
    )
    declaration = DeclarationFactory(activite=activite)
    part = declaration.activity_data.get()
    changed = activity(heures_realisees_6_plus="50000")  # 70 000 h instead of 50 000: +40 %
    result = services.complete_part(part, changed, {}, 0, UserFactory())
    assert [a.code for a in result.unjustified] == ["heures_realisees"]
    result = services.complete_part(part, changed, {"heures_realisees": "Nouveau groupe"}, 1, UserFactory())
    assert result.may_complete
    part.refresh_from_db()
    assert part.complete and part.justifications == {"heures_realisees": "Nouveau groupe"}


def test_return_for_correction_reopens_parts_and_mails_providers(django_capture_on_commit_callbacks):
    da = HabilitationFactory(user__email="da@example.fr")
    HabilitationFactory(financial=True, activite=da.activite, user__email="df@example.fr")
    HabilitationFactory(ended=True, activite=da.activite, user__email="old@example.fr")
    declaration = DeclarationFactory(activite=da.activite, state=State.A_APPROUVER)
    declaration.activity_data.update(complete=True)
    FinancialData.objects.filter(declaration=declaration).update(complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(declaration, UserFactory(), "Heures à revoir", services.APPROBATEUR)
    assert declaration.state == State.A_CORRIGER
    assert not declaration.activity_data.filter(complete=True).exists()
    assert not FinancialData.objects.get(declaration=declaration).complete
    assert sorted(m.to[0] for m in mail.outbox) == ["da@example.fr", "df@example.fr"]
    assert "Heures à revoir" in mail.outbox[0].body


def test_transmission_mails_the_caf_address_of_the_convention(django_capture_on_commit_callbacks):
    from tests.conventions.factories import ConventionFactory

    declaration = DeclarationFactory(state=State.A_APPROUVER)
    ConventionFactory(organisme=declaration.activite.organisme, email_caf="siap@caf.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit(declaration, UserFactory())
    assert declaration.state == State.TRANSMISE
    assert mail.outbox[0].to == ["siap@caf.fr"]


def test_transmission_mails_the_caf_agents_without_convention_address(django_capture_on_commit_callbacks):
    declaration = DeclarationFactory(state=State.A_APPROUVER)
    UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf, email="agent@caf.fr")
    UserFactory(caf_agent=True, email="other@caf.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit(declaration, UserFactory())
    assert mail.outbox[0].to == ["agent@caf.fr"]


def test_opening_a_campaign_creates_declarations_of_the_caf_and_type(django_capture_on_commit_callbacks):
    approbateur = HabilitationFactory(validated=True, user__email="appro@example.fr")
    activite = approbateur.activite
    caf = activite.organisme.caf
    sibling = ActiviteFactory(organisme=activite.organisme)
    ActiviteFactory(type__code="EAJE", organisme=activite.organisme)  # another type
    ActiviteFactory()  # another Caf
    campaign = Campaign(
        caf=caf,
        activity_type=activite.type,
        type="previsionnel",
        exercice=2026,
        date_ouverture=datetime.date(2026, 1, 5),
        date_limite=datetime.date(2026, 3, 31),
    )
    agent = UserFactory(caf_agent=True, caf=caf)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.open_campaign(campaign, agent)
    assert {d.activite for d in created} == {activite, sibling}
    assert all(d.state == State.A_SAISIR and d.date_limite == datetime.date(2026, 3, 31) for d in created)
    assert campaign.opened_by == agent
    assert [m.to for m in mail.outbox] == [["appro@example.fr"]]
    assert activite.nom in mail.outbox[0].body and sibling.nom not in mail.outbox[0].body


def test_reopening_keeps_existing_declarations():
    declaration = DeclarationFactory(campaign=None, type="previsionnel", exercice=2026)
    campaign = CampaignFactory.build(
        caf=declaration.activite.organisme.caf,
        activity_type=declaration.activite.type,
        type="previsionnel",
        exercice=2026,
    )
    assert services.open_campaign(campaign, None, notify=False) == []
    declaration.refresh_from_db()
    assert declaration.campaign == campaign


def test_saving_a_declaration_to_correct_resumes_the_entry():
    declaration = DeclarationFactory(state=State.A_CORRIGER)
    services.save_part(declaration.financial_data, financial(), {}, 0, UserFactory())
    declaration.refresh_from_db()
    assert declaration.state == State.EN_COURS
    assert declaration.state_changes.get().from_state == State.A_CORRIGER


def test_figures_stored_as_typed_before_normalisation_are_migrated():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("afas.migrations.0004_declaration_figures_normalised")
    declaration = DeclarationFactory(
        values=activity(heures_ouverture_jour="9.5", heures_facturees="52 000,50", capacite="beaucoup"),
        financial=financial(c60="10\u202f000"),
    )
    StateChange = apps.get_model("afas", "StateChange")
    StateChange.objects.create(declaration=declaration, from_state="a_approuver", to_state="transmise")
    migration.forwards(apps, None)
    part = declaration.activity_data.get()
    assert part.values["heures_ouverture_jour"] == "9.5" and part.values["heures_facturees"] == "52000.50"
    assert part.rejected == {"capacite": "beaucoup"} and "capacite" not in part.values
    assert declaration.financial_data.__class__.objects.get(declaration=declaration).values["c60"] == "10000"
    declaration.refresh_from_db()
    assert declaration.transmitted_at == StateChange.objects.get(declaration=declaration).at


def test_a_part_alone_compares_with_the_same_part_of_the_declaration_the_page_reads():
    """review_activity of a part alone (a save) reads one query instead of the declaration's data, with the
    same previous values: the latest earlier exercice, « Réel » before « Actualisé » before « Prévisionnel »,
    the part of the same lieu."""
    activite = ActiviteFactory()
    LieuFactory(activite=activite)
    declaration = DeclarationFactory(activite=activite, exercice=2025)
    DeclarationFactory(activite=activite, exercice=2023, state=State.VALIDEE, values=activity(inscrits="1"))
    for type, inscrits in (("previsionnel", "7"), ("reel", "9"), ("actualise", "8")):
        DeclarationFactory(
            activite=activite,
            exercice=2024,
            type=type,
            state=State.TRANSMISE,
            values=activity(inscrits=inscrits),
        )
    data = load_data(declaration)
    assert data.previous.type == "reel" and data.previous.exercice == 2024
    for part in data.activity_parts:
        part.declaration = declaration
        assert previous_activity_values(part) == data.previous_activity[part.lieu_id]
        assert previous_activity_values(part)["inscrits"] == "9"
        assert review_activity(part) == review_activity(part, data)
    # Without a previous declaration: none, as the page.
    alone = DeclarationFactory(activite=ActiviteFactory())
    (part,) = load_data(alone).activity_parts
    assert previous_activity_values(part) is None


def test_the_previous_declaration_is_read_with_its_parts():
    """load_data: the previous declaration (latest earlier exercice, « Réel » first), its values by lieu and its
    financial values, as the page and the recap show them; none before the first declaration."""
    activite = ActiviteFactory()
    LieuFactory(activite=activite)
    declaration = DeclarationFactory(activite=activite, exercice=2025)
    assert (load_data(declaration).previous, load_data(declaration).previous_activity) == (None, {})
    DeclarationFactory(activite=activite, exercice=2024, type="previsionnel", state=State.VALIDEE)
    DeclarationFactory(
        activite=activite,
        exercice=2024,
        state=State.VALIDEE,
        values=activity(inscrits="9"),
        financial=financial(c60="12"),
    )
    DeclarationFactory(activite=activite, exercice=2026, state=State.VALIDEE)  # later: not a previous one
    data = load_data(declaration)
    assert (data.previous.type, data.previous.exercice, data.previous.state) == ("reel", 2024, State.VALIDEE)
    assert sorted(data.previous_activity, key=str) == sorted(
        ActivityData.objects.filter(declaration=data.previous.pk).values_list("lieu_id", flat=True), key=str
    )
    assert {values["inscrits"] for values in data.previous_activity.values()} == {"9"}
    assert data.previous_financial["c60"] == "12"
    assert data.previous_figures["total_charges"] is not None
