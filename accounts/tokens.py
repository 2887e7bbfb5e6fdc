"""The token of the one-time links that set a password: activation of a new account and « Mot de passe
oublié » (accounts.services.one_time_link, accounts.views.password.ActivationView)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class OneTimeLinkTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token (valid PASSWORD_RESET_TIMEOUT, dead once the password changes or the user
    signs in), also dead once a newer link is sent: it carries the moment the last link was sent."""

    def _make_hash_value(self, user, timestamp):
        sent = "" if user.link_sent_at is None else user.link_sent_at.replace(tzinfo=None).isoformat()
        return f"{super()._make_hash_value(user, timestamp)}{sent}"


one_time_link_token = OneTimeLinkTokenGenerator()
