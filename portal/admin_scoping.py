"""The Caf back-office: an agent sees and changes only their own Caf's data; a superuser sees all."""


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
        return queryset.filter(**{self.caf_lookup: caf_id}).distinct()

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
