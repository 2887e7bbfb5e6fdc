"""The Caf back-office's admin site: French titles, and a 404 for an id that names no object the agent
may see (malformed, unknown or another Caf's), for every registered ModelAdmin."""

from django.contrib import admin
from django.http import Http404


class MissingObjectIs404:
    """Django's admin redirects to its index when the object of a change, history or delete page is not
    found; an id in a URL that names nothing (« abc », another Caf's row) is a 404 like anywhere else."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"Aucun(e) {self.opts.verbose_name} ne correspond à l'identifiant « {object_id} ».")
        return obj


class BackOfficeSite(admin.AdminSite):
    site_header = "Back-office Caf"
    site_title = "Back-office Caf"
    index_title = "Gestion des partenaires, conventions et habilitations"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every ModelAdmin, ours and the libraries' (groups, mail queue), gets the 404 behaviour.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, MissingObjectIs404):
            admin_class = type(
                admin_class.__name__,
                (MissingObjectIs404, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
