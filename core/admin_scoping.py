"""The Caf back-office: an agent sees and changes only their own Caf's data; a superuser sees all."""

from django.db.models.constants import LOOKUP_SEP


def agent_caf_id(request):
    return getattr(request.user, "caf_id", None)


class CafScopedAdmin:
    """Mixin for a ModelAdmin. `caf_lookup` is the path from the model to its Caf (e.g. "organisme__caf").

    Staff users attached to a Caf may view, add and change; nobody deletes (nothing is erased: closing
    sets an end date)."""

    caf_lookup = "caf"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        caf_id = agent_caf_id(request)
        if caf_id is None:
            return queryset.none()
        queryset = queryset.filter(**{self.caf_lookup: caf_id})
        # DISTINCT only when the path can multiply rows: it makes PostgreSQL sort every row of the Caf
        # before it can show the first page.
        return queryset.distinct() if _is_multivalued(queryset.model, self.caf_lookup) else queryset

    def _is_agent(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.is_superuser or agent_caf_id(request) is not None)
        )

    def has_module_permission(self, request):
        return self._is_agent(request)

    def has_view_permission(self, request, obj=None):
        return self._is_agent(request)

    def has_add_permission(self, request):
        return self._is_agent(request)

    def has_change_permission(self, request, obj=None):
        return self._is_agent(request)

    def has_delete_permission(self, request, obj=None):
        return False


def _is_multivalued(model, lookup):
    for name in lookup.split(LOOKUP_SEP):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False
