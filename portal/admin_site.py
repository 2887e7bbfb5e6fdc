"""The Caf back-office's admin site: French titles, and a 404 for an id that names no object the agent
may see (malformed, unknown or another Caf's), for every registered ModelAdmin."""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.db.models.base import ModelBase
from django.http import Http404
from django.shortcuts import redirect
from django.urls import URLResolver
from django.utils.text import capfirst

from core.admin_history import HistoryAdmin, keeps_history
from core.admin_menu import CachedMenuSite
from core.admin_scoping import CafScopedAdmin, SuperuserOnlyAdmin


class BackOfficePages:
    """Mixed into every ModelAdmin of the site.

    - Django's admin redirects to its index when the object of a change, history or delete page is not
      found; an id in a URL that names nothing (« abc », another Caf's row) is a 404 like anywhere else.
    - Page titles in plain French (« Déclarations », « Ajout : appartenance à un groupe ») instead of the
      translated « Sélectionnez l'objet … à changer » and « Ajout de appartenance … »."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"Aucun(e) {self.opts.verbose_name} ne correspond à l'identifiant « {object_id} ».")
        return obj

    def changelist_view(self, request, extra_context=None):
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            action = "Ajout"
        elif self.has_change_permission(request):
            action = "Modification"
        else:
            action = "Consultation"
        title = f"{action} : {self.opts.verbose_name}"
        return super().changeform_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )


def leave_sign_in_to_the_site(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            leave_sign_in_to_the_site(pattern.url_patterns)
        elif getattr(pattern.callback, "login_required", True):  # the sign-in page is a bound method, already
            login_not_required(pattern.callback)


class BackOfficeSite(CachedMenuSite, admin.AdminSite):
    # The side menu kept per kind of user: core/admin_menu.py.
    site_header = "Back-office Caf"
    site_title = "Back-office Caf"
    index_title = "Gestion des partenaires, conventions et habilitations"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every ModelAdmin, ours and the libraries' (groups, mail queue), gets the same pages (404, titles),
        # and is either scoped to the agent's Caf or the superuser's only (admin_scoping.py).
        # A model that keeps a history (core/history.py) gets its read-only, scoped « Historique ».
        admin_class = admin_class or admin.ModelAdmin
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        for model in models:
            mixins = []
            if not issubclass(admin_class, BackOfficePages):
                mixins.append(BackOfficePages)
            if not issubclass(admin_class, (CafScopedAdmin, SuperuserOnlyAdmin)):
                mixins.append(SuperuserOnlyAdmin)
            if keeps_history(model) and not issubclass(admin_class, HistoryAdmin):
                mixins.append(HistoryAdmin)
            model_admin = admin_class
            if mixins:
                model_admin = type(
                    admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__}
                )
            super().register(model, model_admin, **options)

    def get_urls(self):
        # The back-office checks its own sign-in (active staff only, AdminSite.admin_view) and sends to its
        # own sign-in page, not to the partners' one where LoginRequiredMiddleware would.
        urls = super().get_urls()
        leave_sign_in_to_the_site(urls)
        return urls

    def logout(self, request, extra_context=None):
        # As on the portal: « Vous êtes déconnecté. », on the back-office's own sign-in page (not the
        # partners' one, where LOGOUT_REDIRECT_URL would send an agent).
        from accounts.views.login import SIGNED_OUT

        response = super().logout(request, extra_context)
        if request.method != "POST" or request.user.is_authenticated:
            return response
        messages.info(request, SIGNED_OUT)
        return redirect("admin:login")

    def app_index(self, request, app_label, extra_context=None):
        # The app's own name as title, as the changelists have theirs, instead of the translated
        # « Administration de Aides financières… » (no elision in Django's « %(app)s administration »).
        app_list = self.get_app_list(request, app_label)
        context = {"title": capfirst(app_list[0]["name"])} if app_list else {}
        return super().app_index(request, app_label, {**context, **(extra_context or {})})
