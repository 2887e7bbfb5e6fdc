"""The back-office side menu (Django's `available_apps` and the sidebar drawn from it) worked out once per
kind of user and process, instead of on every page.

On every page `AdminSite.each_context` asks each of the ~25 registered ModelAdmins for its permissions and
reverses two URLs for each; then the sidebar template draws a row per screen, comparing each link with
the page's path three times: ~4 ms of the ~25 ms CPU of a changelist (national data set, cProfile).

What the menu holds depends only on the ModelAdmins registered (the kept menus are dropped on every
`register` and `unregister`) and on the user's flags (`menu_kind`): every ModelAdmin of this site answers
its permissions from them alone, never from Django's groups and permissions (CafScopedAdmin: an active
staff member attached to a Caf, or a superuser; SuperuserOnlyAdmin: a superuser, who holds every
permission). tests/portal/test_admin_menu.py checks it for every registered ModelAdmin, so that a screen
answering otherwise fails there instead of showing a stale menu. The flags are read from the user's row at
each request (accounts/user_cache.py drops it on every save): a change reaches the next page.

The menu is kept per process (it holds no data, only what the code and the flags decide), with the
language and the URL configuration and prefix; the sidebar's HTML under the same key and the links the page's path lies
under (Django's `current-app`, `current-model`, `aria-current`)."""

from django.conf import settings
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

SIDEBAR_TEMPLATE = "admin/nav_sidebar.html"


def menu_kind(user):
    """The flags that decide every permission of the back-office's ModelAdmins (admin_scoping.py)."""
    return (
        bool(user.is_authenticated and user.is_active),
        bool(getattr(user, "is_staff", False)),
        bool(getattr(user, "is_superuser", False)),
        getattr(user, "caf_id", None) is not None,
    )


def copied(app_list):
    """A copy of a kept menu that the page may change without changing the kept one."""
    return [
        {**app, "models": [{**model, "perms": dict(model["perms"])} for model in app["models"]]}
        for app in app_list
    ]


class CachedMenuSite:
    """Mixed into the AdminSite: `get_app_list` kept per kind of user, and `nav_sidebar` in each page's
    context (templates/admin/base_site.html draws it instead of including the sidebar template)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._menus = {}
        self._sidebars = {}

    def forget_menus(self):
        self._menus.clear()
        self._sidebars.clear()

    def register(self, *args, **kwargs):
        super().register(*args, **kwargs)
        self.forget_menus()

    def unregister(self, *args, **kwargs):
        super().unregister(*args, **kwargs)
        self.forget_menus()

    def menu_key(self, request, app_label=None):
        urls = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
        return (menu_kind(request.user), app_label, get_language(), urls)

    def get_app_list(self, request, app_label=None):
        key = self.menu_key(request, app_label)
        app_list = self._menus.get(key)
        if app_list is None:
            app_list = self._menus[key] = super().get_app_list(request, app_label)
        return copied(app_list)

    def each_context(self, request):
        context = super().each_context(request)
        context["nav_sidebar"] = Sidebar(self, request, context["available_apps"])
        return context

    def sidebar_html(self, request, app_list):
        """Django's sidebar for this page, drawn once per menu and set of links the path lies under."""
        path = urlencode(request.path)
        under = tuple(
            bool(url) and url in path
            for app in app_list
            for url in (app["app_url"], *(model["admin_url"] for model in app["models"]))
        )
        key = (self.menu_key(request), under)
        html = self._sidebars.get(key)
        if html is None:
            context = {"available_apps": app_list, "request": request}
            html = self._sidebars[key] = render_to_string(SIDEBAR_TEMPLATE, context)
        return html


class Sidebar:
    """The page's sidebar, drawn (or taken from those kept) only when the template shows it."""

    def __init__(self, site, request, app_list):
        self.site, self.request, self.app_list = site, request, app_list

    def __bool__(self):
        return True

    def __html__(self):
        return self.site.sidebar_html(self.request, self.app_list)

    def __str__(self):
        return self.__html__()
