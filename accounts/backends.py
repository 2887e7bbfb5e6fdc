from django.contrib.auth.backends import ModelBackend


class OpenUserBackend(ModelBackend):
    """A closed user (date de clôture reached) cannot sign in, nor stay signed in."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.is_open()
