from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.mail import send_portal_mail


def one_time_link(request, user, url_name):
    """An absolute link carrying a single-use token (it dies once the password changes or after
    PASSWORD_RESET_TIMEOUT)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse(url_name, kwargs={"uidb64": uidb64, "token": token}))


def send_activation_mail(request, user):
    """A new account gets its identifiant and a one-time link to choose its password, never a password."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    send_portal_mail(
        "activation",
        [user.email],
        {"user": user, "link": one_time_link(request, user, "accounts:activate")},
    )
