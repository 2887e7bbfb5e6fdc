from .services import session_grace_until


def second_factor(request):
    """The banner of the grace period: « Sécurisez votre compte avant le … »."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"second_factor_grace_until": session_grace_until(request)}
