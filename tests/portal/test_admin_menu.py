"""The back-office side menu kept per kind of user (core/admin_menu.py): the same menu and the same HTML as
Django builds on every page, and never kept past a change of what decides it."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from core.admin_menu import CachedMenuSite, menu_kind
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = admin.site
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PAGES = [
    "admin:index",
    ("admin:app_list", {"app_label": "afas"}),
    "admin:afas_habilitation_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
    "admin:conventions_caf_changelist",
]


def url_of(page):
    name, kwargs = page if isinstance(page, tuple) else (page, {})
    return reverse(name, kwargs=kwargs)


def djangos_own_menu(request, app_label=None):
    return AdminSite.get_app_list(SITE, request, app_label)


def request_of(user, path="/back-office/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.fixture
def superuser(loire):
    return UserFactory(is_staff=True, is_superuser=True, organisme=None, caf=None, identifiant="admin")


@pytest.fixture
def users(agent, superuser):
    return {
        "agent": agent,
        "superuser": superuser,
        "staff without a Caf": UserFactory(is_staff=True, organisme=None, caf=None, identifiant="staff"),
    }


@pytest.fixture
def every_permission():
    group = Group.objects.create(name="tout")
    group.permissions.set(Permission.objects.all())
    return group


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub("", response.content.decode())


def test_the_site_keeps_its_menus():
    assert isinstance(SITE, CachedMenuSite)


@pytest.mark.parametrize("who", ["agent", "superuser", "staff without a Caf"])
@pytest.mark.parametrize("app_label", [None, "afas", "conventions"])
def test_the_kept_menu_is_djangos_own(users, who, app_label):
    request = request_of(users[who])
    SITE.get_app_list(request, app_label)  # kept
    assert SITE.get_app_list(request, app_label) == djangos_own_menu(request, app_label)


@pytest.mark.parametrize(
    ("who", "page"),
    [("superuser", page) for page in PAGES] + [("agent", page) for page in PAGES if "caf" not in str(page)],
    ids=str,
)
def test_every_page_is_the_same_html_as_django_draws_it(client, users, who, page, monkeypatch):
    client.force_login(users[who])
    url = url_of(page)
    client.get(url)  # the menu and this page's sidebar kept
    kept = page_html(client, url)
    # Django's own: the menu built for this request, and the sidebar template included by base.html.
    monkeypatch.setattr(CachedMenuSite, "get_app_list", AdminSite.get_app_list)
    monkeypatch.setattr(CachedMenuSite, "each_context", AdminSite.each_context)
    assert page_html(client, url) == kept


def test_the_sidebar_marks_the_page_it_is_drawn_for(client, agent):
    client.get(url_of("admin:accounts_user_changelist"))
    html = page_html(client, url_of("admin:afas_habilitation_changelist"))
    current = re.findall(r'<tr class="model-(\w+) current-model">', html)
    assert current == ["habilitation"]
    assert html.count('aria-current="page"') == 1


@pytest.mark.parametrize("who", ["agent", "staff without a Caf"])
def test_every_screen_answers_from_the_users_flags_alone(users, who, every_permission):
    """What lets the menu be kept per `menu_kind`: no ModelAdmin reads Django's groups or permissions. A
    screen that did would fail here (then key the menu on them too, or leave that screen out)."""
    user = users[who]
    before = {model: admin_of.get_model_perms(request_of(user)) for model, admin_of in SITE._registry.items()}
    module_before = {model: a.has_module_permission(request_of(user)) for model, a in SITE._registry.items()}
    user.groups.add(every_permission)
    user = type(user).objects.get(pk=user.pk)  # Django keeps the permissions it read on the instance
    assert menu_kind(user) == menu_kind(users[who])
    assert {model: a.get_model_perms(request_of(user)) for model, a in SITE._registry.items()} == before
    assert {model: a.has_module_permission(request_of(user)) for model, a in SITE._registry.items()} == (
        module_before
    )


def test_an_agent_made_superuser_sees_the_superusers_menu_at_the_next_page(client, agent):
    cafs = url_of("admin:conventions_caf_changelist")
    assert f'href="{cafs}"' not in page_html(client, url_of("admin:index"))
    agent.is_superuser = True
    agent.save()
    assert f'href="{cafs}"' in page_html(client, url_of("admin:index"))
    agent.is_superuser = False
    agent.save()
    assert f'href="{cafs}"' not in page_html(client, url_of("admin:index"))


def test_a_staff_member_given_a_caf_sees_the_agents_menu_at_the_next_page(client):
    staff = UserFactory(is_staff=True, organisme=None, caf=None, identifiant="staff")
    client.force_login(staff)
    users_list = url_of("admin:accounts_user_changelist")
    assert f'href="{users_list}"' not in page_html(client, url_of("admin:index"))
    staff.caf = UserFactory(caf_agent=True).caf
    staff.save()
    assert f'href="{users_list}"' in page_html(client, url_of("admin:index"))


def test_a_screen_registered_or_unregistered_drops_the_kept_menus(agent):
    request = request_of(agent)
    screens = {model["object_name"] for app in SITE.get_app_list(request) for model in app["models"]}
    assert "AuditEvent" in screens
    from afas.models import AuditEvent

    model_admin = type(SITE._registry[AuditEvent])
    SITE.unregister(AuditEvent)
    try:
        gone = {model["object_name"] for app in SITE.get_app_list(request) for model in app["models"]}
        assert "AuditEvent" not in gone
    finally:
        SITE.register(AuditEvent, model_admin)  # the class as registered, the site's mixins included
    back = {model["object_name"] for app in SITE.get_app_list(request) for model in app["models"]}
    assert back == screens


def test_a_page_changing_its_menu_leaves_the_kept_one_alone(agent):
    request = request_of(agent)
    menu = SITE.get_app_list(request)
    menu[0]["models"].clear()
    menu[0]["name"] = "changé"
    assert SITE.get_app_list(request) == djangos_own_menu(request)
