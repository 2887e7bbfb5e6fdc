from django.conf import settings
from django.utils.functional import SimpleLazyObject

from afas.reviews.services import open_reviews_for
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
        # « Revue des habilitations » on the welcome page (issue 14): read only where a page shows it.
        "open_access_reviews": SimpleLazyObject(lambda: open_reviews_for(user)),
    }
