from django.conf import settings
from django.utils.functional import SimpleLazyObject

from conventions.rights import get_rights

from .menu import build_menu


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "idle": {"timeout": settings.SESSION_IDLE_TIMEOUT, "warning": settings.SESSION_IDLE_WARNING},
        "portal_menu": SimpleLazyObject(lambda: build_menu(user, request.path)),
        "rights": SimpleLazyObject(lambda: get_rights(user)),
    }
