"""The Caf back-office: an agent sees and changes only their own Caf's data; a superuser sees all.

The rule is written here once: `is_caf_agent` and `is_agent_of` (who is a Caf agent, who acts for this
Caf), `CafScopedAdmin` (every back-office ModelAdmin) and `CafScopedInline` (their inlines). The few
screens of national reference data that only a superuser manages are `SuperuserOnlyAdmin`; the site
(portal/admin_site.py) gives that mixin to any ModelAdmin registered without `CafScopedAdmin`."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Lookup, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

ESCAPED_CHECKBOX_NAME = escape(ACTION_CHECKBOX_NAME)


def is_caf_agent(user):
    """An active staff member attached to a Caf, or a superuser (every Caf)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.caf_id is not None)
    )


def is_agent_of(user, caf_id):
    """A Caf agent who may act on this Caf's data: their own Caf's, or any for a superuser."""
    return is_caf_agent(user) and (user.is_superuser or user.caf_id == caf_id)


def agent_caf_id(request):
    return getattr(request.user, "caf_id", None)


class OfferedLookupsOnly:
    """The changelist accepts in its URL only the lookups its screen offers: a field of `list_filter`,
    `search_fields` or `date_hierarchy`, never the password. Django's default accepts any field of the
    model, so `?password__startswith=pbkdf2_sha256$` would read a hash one character at a time."""

    def lookup_allowed(self, lookup, value, request=None):
        parts = lookup.split(LOOKUP_SEP)
        if "password" in parts:
            return False
        offered = offered_lookup_paths(self)
        if not any(parts[: len(path)] == path for path in offered):
            return False
        return super().lookup_allowed(lookup, value, request)


def offered_lookup_paths(model_admin):
    """The field paths (as lists of names) that a ModelAdmin's filters, search and date hierarchy offer."""
    paths = []
    for item in model_admin.list_filter:
        if isinstance(item, (list, tuple)):
            item = item[0]
        if isinstance(item, str):  # a SimpleListFilter reads its own parameter, not a lookup
            paths.append(item)
    paths += [field.lstrip("^=@") for field in model_admin.search_fields]
    if model_admin.date_hierarchy:
        paths.append(model_admin.date_hierarchy)
    return [path.split(LOOKUP_SEP) for path in paths]


class CafScopedAdmin(OfferedLookupsOnly):
    """Mixin for every back-office ModelAdmin.

    - `caf_lookup`: the path from the model to its Caf (e.g. "organisme__caf"). A model whose Caf is not
      one path overrides `scope_to_caf`.
    - `shared_by_every_caf`: national reference data that belongs to no Caf (types, natures): any agent
      sees all, only a superuser adds or changes it (ActivityType.code selects every Caf's declaration
      fields: an agent renaming it would change every Caf's declarations).
    - `caf_choices`: foreign keys whose choices are limited to the agent's Caf, field name → the path
      from the related model to its Caf (e.g. {"organisme": "caf"}).

    Caf agents may view, add and change; nobody deletes (nothing is erased: closing sets an end date)."""

    caf_lookup = "caf"
    shared_by_every_caf = False
    caf_choices = {}
    # The fields the changelist's columns read (`only()`, related ones by their path): the page's rows
    # only, through `page_rows`; actions and exports read whole rows of the same queryset.
    list_only = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.shared_by_every_caf:
            return queryset
        caf_id = agent_caf_id(request)
        if caf_id is None:
            return queryset.none()
        return self.scope_to_caf(queryset, caf_id)

    def scope_to_caf(self, queryset, caf_id):
        queryset = queryset.filter(caf_condition(queryset.model, self.caf_lookup, caf_id))
        # DISTINCT only when the path can multiply rows: it makes PostgreSQL sort every row of the Caf
        # before it can show the first page.
        return queryset.distinct() if _is_multivalued(queryset.model, self.caf_lookup) else queryset

    def get_changelist(self, request, **kwargs):
        return PageRowsChangeList

    def page_rows(self, queryset):
        """The rows of one changelist page, as the columns read them."""
        return queryset.only(*self.list_only) if self.list_only else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        lookup = self.caf_choices.get(db_field.name)
        if lookup and not request.user.is_superuser:
            queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = queryset.filter(**{lookup: agent_caf_id(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def action_checkbox(self, obj):
        """Django's checkbox of a changelist row, the same HTML written as one string instead of a widget
        template per row: it was half the CPU of drawing 100 rows (cProfile of the users changelist)."""
        # format_html(_(…), str(obj)) inside format_html(…): each argument escaped, the label once.
        label = _("Select this object for an action - {}").format(conditional_escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{ESCAPED_CHECKBOX_NAME}" value="{escape(str(obj.pk))}" '
            f'class="action-select" aria-label="{label}">'
        )

    def has_module_permission(self, request):
        return is_caf_agent(request.user)

    def has_view_permission(self, request, obj=None):
        return is_caf_agent(request.user)

    def has_add_permission(self, request):
        return self._may_change(request)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_change(self, request):
        if self.shared_by_every_caf:
            return is_caf_agent(request.user) and request.user.is_superuser
        return is_caf_agent(request.user)


class PageRowsChangeList(ChangeList):
    """Django's changelist, its page of rows read through the ModelAdmin's `page_rows`."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = self.model_admin.page_rows(self.result_list)


class SharedReferenceAdmin(CafScopedAdmin):
    """Reference data that every Caf shares (types de partenaire, natures d'activité…), listed and searched
    by its libellé: any Caf agent views it, only a superuser adds or changes it (see shared_by_every_caf)."""

    shared_by_every_caf = True
    list_display = ["libelle"]
    search_fields = ["libelle"]


class CafScopedInline:
    """Mixin for the inlines of a CafScopedAdmin: their rows are the parent's, already scoped; Caf agents
    may view, add and change them, nobody deletes."""

    def has_view_permission(self, request, obj=None):
        return is_caf_agent(request.user)

    def has_add_permission(self, request, obj=None):
        return is_caf_agent(request.user)

    def has_change_permission(self, request, obj=None):
        return is_caf_agent(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly:
    """Before CafScopedAdmin or CafScopedInline: viewed by the agents, changed by nobody here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyAdmin(OfferedLookupsOnly):
    """National reference data and technical screens (the Cafs, Django's groups, the mail queue): the
    superuser's only, with Django's own permissions for them."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class AnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs an array (ArraySubquery): not registered on any field, used as an expression."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def caf_condition(model, lookup, caf_id):
    """The rows whose `lookup` (a path ending in a foreign key to the Caf) names this Caf.

    Through a relation (`activite__organisme__caf`), the rows of the last model (the Caf's ~300
    organismes) are read in the same query as an array, `activite.organisme_id = ANY(ARRAY(SELECT …))`:
    PostgreSQL then finds the Caf's activités by their organisme index. Joined to the organismes, it read
    all 60,000 activités of the country to hash them (EXPLAIN ANALYZE on the national set, median of 7:
    the count of the Caf's habilitations 29 → 7 ms, of its declarations 16 → 8 ms; page 99 of the
    habilitations 47 → 30 ms; bench/README.md « Issue 12 §3 : listes du back-office »)."""
    *path, caf = lookup.split(LOOKUP_SEP)
    if not path:
        return Q(**{lookup: caf_id})
    opts = model._meta
    for name in path:
        field = opts.get_field(name)
        if not field.many_to_one:  # a reverse or many-to-many path: joined as Django does
            return Q(**{lookup: caf_id})
        opts = field.related_model._meta
    holders = field.related_model._base_manager.filter(**{caf: caf_id}).order_by().values("pk")
    return AnyOf(F(LOOKUP_SEP.join([*path[:-1], field.attname])), ArraySubquery(holders))


def _is_multivalued(model, lookup):
    for name in lookup.split(LOOKUP_SEP):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class FileImportAdmin(ReadOnly, CafScopedAdmin):
    """The back-office screen of a file import (core/imports.FileImport), read-only: the file, what it was
    imported into (`subject`: the campaign, the convention), who, when, from which address, its état
    (« Interrompu » once its task stopped) and its lines; then the kind's `own_fields`. The lines read are
    never shown: they hold the file's figures or personal data."""

    subject = ""
    own_fields = []
    list_filter = ["status"]

    def __init__(self, model, admin_site):
        self.list_display = ["file_name", self.subject, "created_by", "created_at", "shown_status", "total"]
        self.fields = self.readonly_fields = [
            "file_name",
            self.subject,
            "created_by",
            "created_at",
            "created_ip",
            "shown_status",
            "total",
            "done",
            "updated_at",
            *self.own_fields,
        ]
        super().__init__(model, admin_site)

    @admin.display(description="état", ordering="status")
    def shown_status(self, file_import):
        return file_import.display_status
