"""The history of every change (core/history.py): kept for every model the Caf and the partners change,
with who, when and from where; shown in the back-office scoped as the object; never edited, reverted or
deleted through the application."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from afas.models import Activite, ActivityNature, ActivityType, Campaign, Lieu, MailPreference
from conventions.models import (
    Caf,
    Convention,
    ConventionAdministrator,
    HabilitationGroup,
    Membership,
    Organisme,
    PartnerType,
)
from core.admin_history import HistoryAdmin
from tests.accounts.factories import UserFactory
from tests.afas.factories import (
    ActiviteFactory,
    ActivityNatureFactory,
    ActivityTypeFactory,
    CampaignFactory,
    LieuFactory,
    MailPreferenceFactory,
)
from tests.conventions.conftest import BACKEND
from tests.conventions.factories import (
    CafFactory,
    ConventionAdministratorFactory,
    ConventionFactory,
    MembershipFactory,
    OrganismeFactory,
    PartnerTypeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    User: UserFactory,
    Caf: CafFactory,
    PartnerType: PartnerTypeFactory,
    Organisme: OrganismeFactory,
    Convention: ConventionFactory,
    ConventionAdministrator: ConventionAdministratorFactory,
    HabilitationGroup: lambda: HabilitationGroup.objects.create(code="AFAS-TEST", libelle="AFAS Test"),
    Membership: MembershipFactory,
    ActivityType: ActivityTypeFactory,
    ActivityNature: ActivityNatureFactory,
    Activite: ActiviteFactory,
    Lieu: LieuFactory,
    Campaign: CampaignFactory,
    MailPreference: MailPreferenceFactory,
}
TRACKED = list(FACTORIES)
IN_THE_BACK_OFFICE = [model for model in TRACKED if model in admin.site._registry]
# Each model's object of another Caf than the agent's (the shared reference data belongs to none).
SCOPED = [User, Organisme, Convention, Membership, Activite, Campaign, MailPreference]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(caf_agent=True, is_superuser=True), backend=BACKEND)
    return client


def test_the_library_cannot_revert_nor_edit_the_history():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert getattr(settings, "SIMPLE_HISTORY_EDIT", False) is False


@pytest.mark.parametrize("model", TRACKED, ids=lambda model: model.__name__)
def test_every_model_keeps_a_history_no_page_can_change(model):
    obj = FACTORIES[model]()
    record = obj.history.earliest()
    assert record.history_type == "+" and record.ip_address is None  # made outside a request
    historical = model.history.model
    assert historical not in admin.site._registry  # no changelist, change or delete page of the rows


@pytest.mark.parametrize("model", IN_THE_BACK_OFFICE, ids=lambda model: model.__name__)
def test_back_office_history_is_shown_and_read_only(superuser_client, model):
    obj = FACTORIES[model]()
    assert isinstance(admin.site._registry[model], HistoryAdmin)
    response = superuser_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert "<h1>Historique : " in response.content.decode() and "Création" in response.content.decode()
    rows = obj.history.count()

    version = admin_url(model, "simple_history", obj.pk, obj.history.earliest().history_id)
    assert superuser_client.get(version).status_code == 403  # no page of an old version to revert from
    assert superuser_client.post(version, {}).status_code == 403
    assert obj.history.count() == rows


def test_an_object_deleted_all_the_same_keeps_its_history():
    caf = CafFactory()
    pk, rows = caf.pk, caf.history.count()
    caf.delete()  # no page of the application deletes a Caf (issue 13, section 5); a shell might
    assert list(Caf.history.filter(id=pk).values_list("history_type", flat=True))[: rows + 1][0] == "-"
    assert Caf.history.filter(id=pk).count() == rows + 1


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model.__name__)
def test_an_agent_gets_a_404_on_the_history_of_another_cafs_object(client, model):
    foreign = FACTORIES[model]()
    client.force_login(UserFactory(caf_agent=True), backend=BACKEND)  # an agent of a Caf of their own
    assert client.get(admin_url(model, "history", foreign.pk)).status_code == 404
    version = admin_url(model, "simple_history", foreign.pk, foreign.history.earliest().history_id)
    assert client.get(version).status_code == 404


def test_an_agent_gets_a_404_on_the_history_of_an_unknown_object(superuser_client):
    assert superuser_client.get(admin_url(Organisme, "history", 987654)).status_code == 404


def test_a_back_office_change_records_the_agent_the_address_and_what_changed(client):
    organisme = OrganismeFactory(adresse="1 rue des Potiers")
    agent = UserFactory(caf_agent=True, caf=organisme.caf, nom="AGENT", prenom="Paul")
    client.force_login(agent, backend=BACKEND)
    data = {"raison_sociale": organisme.raison_sociale, "siret": organisme.siret, "type": organisme.type_id,
            "caf": organisme.caf_id, "adresse": "2 avenue de la Loire"}  # fmt: skip

    response = client.post(admin_url(Organisme, "change", organisme.pk), data, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    record = organisme.history.latest()
    assert (record.history_user, record.ip_address, record.history_type) == (agent, "203.0.113.7", "~")
    page = client.get(admin_url(Organisme, "history", organisme.pk)).content.decode()
    assert "AGENT Paul" in page and "203.0.113.7" in page
    assert "<strong>Adresse :</strong> 1 rue des Potiers &rarr; 2 avenue de la Loire" in page


def test_the_user_history_keeps_no_password_hash_and_no_sign_in():
    user = UserFactory()
    fields = {field.name for field in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
    rows = user.history.count()
    user.set_password("Encore-un-autre-2026")
    user.save(update_fields=["password"])
    user.save(update_fields=["last_login"])
    assert user.history.count() == rows


def test_the_rows_shown_inline_have_their_history_on_the_parents_page(superuser_client):
    administrator = ConventionAdministratorFactory(date_debut=datetime.date(2024, 1, 1))
    administrator.date_fin = datetime.date(2026, 6, 30)
    administrator.save()

    response = superuser_client.get(admin_url(Convention, "history", administrator.convention_id))

    page = response.content.decode()
    assert "<h2>Administrateurs MCP</h2>" in page and str(administrator) in page
    assert "<strong>Fin :</strong> (vide) &rarr; 30/06/2026" in page


QUERIES = 13


@pytest.mark.parametrize("rows", [1, 50])
def test_back_office_history_query_count_does_not_grow_with_rows(
    superuser_client, django_assert_max_num_queries, rows
):
    administrator = ConventionAdministratorFactory()
    convention = administrator.convention
    for number in range(rows):
        convention.libelle = f"Convention n° {number}"
        convention.save()
        administrator.avenant_reference = f"AV-{number}"
        administrator.save()
    # session + user, the convention (scoping, then simple-history's own), content types, its rows (count,
    # page, and the row after the page), the administrators' rows with their relations; plus savepoints.
    with django_assert_max_num_queries(QUERIES):
        response = superuser_client.get(admin_url(Convention, "history", convention.pk))
    assert response.status_code == 200 and len(response.context["page_obj"]) == min(rows + 1, 50)
