from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .user_cache import cached_user

# Set on the request when the password was right but the account opens later (DOMAIN.md decision 17).
OPENS_ON_ATTRIBUTE = "account_opens_on"


class OpenUserBackend(ModelBackend):
    """A closed user (date de clôture reached) cannot sign in, nor stay signed in. A user whose date
    d'ouverture is still to come cannot either; when their password is right the request remembers the
    opening date, so that the sign-in page says when the account opens and django-axes does not count the
    attempt as a failure (see `is_unopened_account_with_right_password`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # the same hashing time as for an existing identifiant
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None and user.is_active and user.opens_later():
            setattr(request, OPENS_ON_ATTRIBUTE, user.date_ouverture)
        return None

    def get_user(self, user_id):
        """The signed-in user of a request: their row from the shared cache when there is one
        (accounts/user_cache.py), else from the database; None once closed or deactivated."""
        user = cached_user(user_id, _load_user)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.is_open()


def _load_user(pk):
    User = get_user_model()
    try:
        return User._default_manager.get(pk=pk)
    except User.DoesNotExist:
        return None


def account_opens_on(request):
    """The opening date of the account whose right password this request carried, if it opens later."""
    return getattr(request, OPENS_ON_ATTRIBUTE, None)


def is_unopened_account_with_right_password(request, credentials):
    """AXES_WHITELIST_CALLABLE: the right password of an account that opens later is no failed attempt.
    django-axes checks the lockout before this backend runs, so a locked identifiant stays locked."""
    return account_opens_on(request) is not None
