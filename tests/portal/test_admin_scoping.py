"""Every back-office screen is scoped to the agent's Caf by one mixin (portal/admin_scoping.py), or is
national reference data that only a superuser manages: this list, and nothing else."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models.query import EmptyQuerySet
from django.test import RequestFactory
from django.urls import reverse

from core.admin_scoping import (
    CafScopedAdmin,
    CafScopedInline,
    SuperuserOnlyAdmin,
    is_agent_of,
    is_caf_agent,
)
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActivityTypeFactory
from tests.conventions.factories import CafFactory

pytestmark = pytest.mark.django_db

# The only screens without Caf scoping: the list of Cafs, Django's groups, the mail queue.
SUPERUSER_ONLY = {"conventions.Caf", "auth.Group", "django_tasks_database.DBTaskResult"}
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def label(model):
    return model._meta.label


def test_every_registered_model_admin_is_caf_scoped_or_superuser_only_reference_data():
    unscoped = {
        label(model) for model, model_admin in REGISTRY if not isinstance(model_admin, CafScopedAdmin)
    }
    assert unscoped == SUPERUSER_ONLY
    assert all(
        isinstance(admin.site._registry[m], SuperuserOnlyAdmin) for m, _ in REGISTRY if label(m) in unscoped
    )


def test_every_inline_of_a_back_office_screen_uses_the_inline_mixin():
    inlines = [inline for _, model_admin in REGISTRY for inline in model_admin.inlines]
    assert inlines
    assert [inline.__name__ for inline in inlines if not issubclass(inline, CafScopedInline)] == []


@pytest.mark.parametrize(
    "model_admin",
    [ma for _, ma in REGISTRY if isinstance(ma, CafScopedAdmin) and not ma.shared_by_every_caf],
    ids=lambda ma: label(ma.model),
)
def test_no_screen_skips_the_scoping_of_the_mixin(model_admin):
    """A staff member attached to no Caf gets nothing: a get_queryset that went around the mixin would
    give them every Caf's rows."""
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, organisme=None, caf=None)
    assert isinstance(model_admin.get_queryset(request), EmptyQuerySet)


def test_superuser_only_screen_is_refused_to_an_agent_even_with_django_permissions(client):
    agent = UserFactory(caf_agent=True, caf=CafFactory())
    agent.user_permissions.add(*Permission.objects.filter(codename__in=["view_caf", "change_caf"]))
    client.force_login(agent)
    assert client.get(reverse("admin:conventions_caf_changelist")).status_code == 403


def test_superuser_still_manages_the_cafs(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, organisme=None))
    assert client.get(reverse("admin:conventions_caf_changelist")).status_code == 200


def test_an_agent_acts_for_their_own_caf_only_and_a_superuser_for_all():
    loire, bdr = CafFactory(), CafFactory()
    agent = UserFactory(caf_agent=True, caf=loire)
    superuser = UserFactory(is_staff=True, is_superuser=True, organisme=None)
    assert is_agent_of(agent, loire.pk) and not is_agent_of(agent, bdr.pk)
    assert is_agent_of(superuser, bdr.pk)


def test_who_is_a_caf_agent():
    loire = CafFactory()
    assert is_caf_agent(UserFactory(caf_agent=True, caf=loire))
    assert not is_caf_agent(UserFactory(caf_agent=True, caf=loire, is_active=False))
    assert not is_caf_agent(UserFactory(is_staff=True, organisme=None, caf=None))
    assert not is_caf_agent(UserFactory(declarant=True))


NATIONAL_REFERENCES = ["afas.ActivityType", "afas.ActivityNature", "conventions.PartnerType"]
NEVER_DELETED = ["conventions.Caf", "conventions.Organisme", "conventions.Convention", "accounts.User"]


def admin_of(model_label):
    return next(model_admin for model, model_admin in REGISTRY if label(model) == model_label)


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("model_label", NATIONAL_REFERENCES)
def test_national_reference_data_is_viewed_by_agents_and_changed_by_superusers_only(model_label):
    model_admin = admin_of(model_label)
    agent = request_of(UserFactory(caf_agent=True))
    superuser = request_of(UserFactory(caf_agent=True, is_superuser=True))
    assert model_admin.has_view_permission(agent)
    assert not model_admin.has_add_permission(agent) and not model_admin.has_change_permission(agent)
    assert model_admin.has_add_permission(superuser) and model_admin.has_change_permission(superuser)


def test_an_agent_cannot_rename_an_activity_type(client):
    activity_type = ActivityTypeFactory()
    client.force_login(UserFactory(caf_agent=True))
    url = reverse("admin:afas_activitytype_change", args=[activity_type.pk])
    response = client.post(url, {"code": "RENAMED", "libelle": "Renommé"})
    assert response.status_code == 403
    activity_type.refresh_from_db()
    assert activity_type.code != "RENAMED"


@pytest.mark.parametrize("model_label", NEVER_DELETED)
def test_not_even_a_superuser_deletes_a_caf_an_organisme_a_convention_or_a_user(model_label):
    model_admin = admin_of(model_label)
    superuser = request_of(UserFactory(caf_agent=True, is_superuser=True))
    superuser.GET = {}
    assert not model_admin.has_delete_permission(superuser)
    assert "delete_selected" not in model_admin.get_actions(superuser)


def test_the_delete_page_of_a_caf_is_refused_to_a_superuser(client):
    caf = CafFactory()
    client.force_login(UserFactory(caf_agent=True, is_superuser=True))
    assert (
        client.post(reverse("admin:conventions_caf_delete", args=[caf.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(caf).objects.filter(pk=caf.pk).exists()


SCOPED_BY_PATH = [
    ma
    for _, ma in REGISTRY
    if isinstance(ma, CafScopedAdmin)
    and not ma.shared_by_every_caf
    and type(ma).scope_to_caf is CafScopedAdmin.scope_to_caf
    and "__" in ma.caf_lookup  # through a relation: `caf_condition`'s array
]


def rows_of_two_cafs():
    """A row of every scoped screen in two Cafs (each factory builds its organisme, activité… in the Caf)."""
    from tests.afas.factories import (
        AccessReviewFactory,
        CampaignFactory,
        DeclarationFactory,
        DeclarationImportFactory,
        HabilitationFactory,
        MailPreferenceFactory,
        ReviewDecisionFactory,
    )
    from tests.conventions.factories import (
        ConventionFactory,
        MembershipFactory,
        OrganismeFactory,
        UserImportFactory,
    )

    cafs = [CafFactory(nom="Caf de la Loire"), CafFactory(nom="Caf des Bouches-du-Rhône")]
    for caf in cafs:
        organisme = OrganismeFactory(caf=caf)
        HabilitationFactory(activite__organisme=organisme)
        HabilitationFactory(activite__organisme=organisme, approbateur=True)
        DeclarationFactory(activite__organisme=organisme, campaign=CampaignFactory(caf=caf))
        MembershipFactory(user__organisme=organisme)
        MailPreferenceFactory(user__organisme=organisme)
        ConventionFactory(caf=caf, organisme=organisme)
        UserImportFactory(convention__caf=caf, convention__organisme=organisme)
        DeclarationImportFactory(campaign__caf=caf)
        ReviewDecisionFactory(review=AccessReviewFactory(caf=caf))
    return cafs


@pytest.mark.parametrize("model_admin", SCOPED_BY_PATH, ids=lambda ma: label(ma.model))
def test_the_scoping_keeps_the_rows_of_the_agents_caf_and_only_them(model_admin):
    """The Caf's rows read through an array of the last model's ids (`caf_condition`) are those of Django's
    join along the same path."""
    every_caf = RequestFactory().get("/")
    every_caf.user = UserFactory(is_staff=True, is_superuser=True, organisme=None, caf=None)
    for caf in rows_of_two_cafs():
        request = RequestFactory().get("/")
        request.user = UserFactory(caf_agent=True, caf=caf)
        scoped = set(model_admin.get_queryset(request).values_list("pk", flat=True))
        joined = model_admin.get_queryset(every_caf).filter(**{model_admin.caf_lookup: caf.pk})
        assert scoped
        assert scoped == set(joined.values_list("pk", flat=True))
