"""« Historique » in the back-office: simple-history's page on every ModelAdmin whose model keeps a
history (core/history.py), scoped as the object itself and read-only.

The site (portal/admin_site.py) mixes `HistoryAdmin` into those ModelAdmins, before the app's own class, so
that the Caf scoping of CafScopedAdmin decides who sees the object and therefore its history:

- the history of an object the agent may not see (another Caf's, unknown) is a 404, even once the object is
  gone (simple-history would otherwise read it from its last historical row);
- simple-history's page of one old version, from which an object is reverted, is refused to everyone
  (403): the history is read, never written back (SIMPLE_HISTORY_REVERT_DISABLED in the settings too)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .history import changes


def keeps_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/history.html"
    history_list_per_page = 50
    # The rows of each inline that keeps a history, on the parent's page (at most this many per inline).
    inline_history_rows = 200

    def get_urls(self):
        # simple-history's page of one version, with named parameters like Django's own admin URLs (and
        # refused below); the app's own URLs follow.
        version = path(
            "<path:object_id>/history/<int:version_id>/",
            self.admin_site.admin_view(self.history_form_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_simple_history",
        )
        return [version, *super(SimpleHistoryAdmin, self).get_urls()]

    def _scoped_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Aucun objet ne correspond à cet identifiant.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._scoped_object(request, object_id)
        context = {"inline_histories": self.inline_histories(request, obj), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def inline_histories(self, request, obj):
        """The history of the rows of each inline that keeps one (a convention's administrators, an
        activité's lieux): they have no page of their own in the back-office."""
        sections = []
        for inline in self.get_inline_instances(request, obj):
            if not keeps_history(inline.model):
                continue
            parent = _foreign_key_to(self.model, inline)
            records = list(
                inline.model.history.filter(**{parent.attname: obj.pk})
                .select_related("history_user")
                ._select_related_history_tracked_objs()[: self.inline_history_rows]
            )
            latest_before = {}
            for record in reversed(records):  # oldest first: each row compared with its object's previous one
                record.history_changes = changes(record, latest_before.get(record.id))
                record.object_label = _label(record)
                latest_before[record.id] = record
            sections.append({"title": capfirst(inline.model._meta.verbose_name_plural), "records": records})
        return sections

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_object(request, object_id)
        raise PermissionDenied(
            "L'historique se consulte ; un objet n'est jamais rétabli dans une version passée."
        )

    def history_view_title(self, request, obj):
        return f"Historique : {obj}"

    def set_history_delta_changes(self, request, page, foreign_keys_are_objs=True):
        # The rows come newest first: each one is compared with the one after it (older), in French words;
        # the last row of a page with the first row of the next page (one more query).
        records = list(page)
        following = [*records[1:], page.paginator.object_list[page.end_index()] if page.has_next() else None]
        for record, previous in zip(records, following, strict=True):
            record.history_changes = changes(record, previous)


def _foreign_key_to(parent_model, inline):
    if inline.fk_name:
        return inline.model._meta.get_field(inline.fk_name)
    return next(
        field
        for field in inline.model._meta.fields
        if field.many_to_one and field.related_model is parent_model
    )


def _label(record):
    """The row's object named as its own __str__ does, from the relations selected with the record (no
    query per row)."""
    obj = record.history_object
    for field in record.instance_type._meta.fields:
        if field.many_to_one:
            selected = record._meta.get_field(field.name)
            if selected.is_cached(record):
                field.set_cached_value(obj, selected.get_cached_value(record))
    return str(obj)
