from axes.utils import reset as axes_reset
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.client_ip import client_ip
from core.links import absolute_url
from core.mail import LINK_PLACEHOLDER, SecretLink, render_mail, send_portal_mail
from core.rate_limit import within_limit

from .models import User
from .signals import lockout_lifted
from .tokens import one_time_link_token

EMAIL_CHANGE_SALT = "accounts.email_change"
# A confirmation link of « Modifier mon adresse mail » lives as long as an activation link.
EMAIL_CHANGE_MAX_AGE = settings.PASSWORD_RESET_TIMEOUT


def mail_limited_message():
    minutes = settings.MAIL_RATE_WINDOW // 60
    return (
        "Trop de demandes d'envoi de mail ont été faites en peu de temps. Par sécurité, aucun mail n'est "
        f"envoyé : réessayez dans {minutes} minutes."
    )


def mail_allowed(request, identifiant):
    """What sends a mail on request (« Mot de passe oublié », a new address to confirm): at most
    MAIL_RATE_LIMIT per identifiant and MAIL_RATE_LIMIT_PER_IP per client address in MAIL_RATE_WINDOW
    seconds, so that the portal cannot flood a mailbox. An identifiant is counted whether or not it
    exists: being limited says nothing about the accounts. Each call counts one request."""
    window = settings.MAIL_RATE_WINDOW
    per_identifiant = within_limit(
        "mail.identifiant", identifiant.strip().lower(), settings.MAIL_RATE_LIMIT, window
    )
    per_address = within_limit("mail.ip", client_ip(request) or "", settings.MAIL_RATE_LIMIT_PER_IP, window)
    return per_identifiant and per_address


def one_time_path(user_id, url_name):
    """The path of a link carrying a single-use token: it dies after PASSWORD_RESET_TIMEOUT, once the
    password changes (using the link changes it) and once a newer link is sent (accounts/tokens.py).
    Called by the mail worker (core.mail.SecretLink): the token is never queued."""
    user = User.objects.get(pk=user_id)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = one_time_link_token.make_token(user)
    return reverse(url_name, kwargs={"uidb64": uidb64, "token": token})


def one_time_link(request, user, url_name):
    """The link of one_time_path, built when the mail is sent. Sending it kills the older links of the
    user (link_sent_at is part of the token)."""
    user.link_sent_at = timezone.now()
    user.save(update_fields=["link_sent_at"])
    return _secret_link(request, user, url_name)


def _secret_link(request, user, url_name):
    return SecretLink(
        "accounts.services.one_time_path",
        {"user_id": user.pk, "url_name": url_name},
        base=absolute_url("/", request).rstrip("/"),
    )


def send_activation_mail(request, user):
    """A new account gets its identifiant and a one-time link to choose its password, never a password."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    _queue_activation_mail(user, one_time_link(request, user, "accounts:activate"))


def send_activation_mails(request, users, batch_size=500):
    """send_activation_mail for many accounts at once (the import of a file of users): the moment of
    their link written in one UPDATE (the accounts just created have no usable password already), then one
    queued mail each."""
    now = timezone.now()
    with_password = [user for user in users if user.has_usable_password()]
    for user in with_password:
        user.set_unusable_password()
    User.objects.bulk_update(with_password, ["password"], batch_size=batch_size)
    User.objects.filter(pk__in=[user.pk for user in users]).update(link_sent_at=now)
    for user in users:
        user.link_sent_at = now
        _queue_activation_mail(user, _secret_link(request, user, "accounts:activate"))


def _queue_activation_mail(user, secret_link):
    send_portal_mail("activation", [user.email], {"user": user}, secret_link=secret_link)


def send_password_reset_mail(request, identifiant):
    """« Mot de passe oublié »: a one-time link to the account's own address. Says nothing about whether
    the identifiant exists: the caller shows the same answer either way."""
    # An account that opens later may choose its password too (its activation link may have expired).
    user = User.objects.not_closed().filter(identifiant=identifiant, is_active=True).first()
    if user is None or not user.email or email_changed_recently(user):
        # The same work as for a known identifiant (the mail is rendered, not queued): the answer's delay
        # does not tell whether the identifiant exists.
        render_mail(
            "password_reset", {"user": user or User(identifiant=identifiant), "link": LINK_PLACEHOLDER}
        )
        return
    send_portal_mail(
        "password_reset",
        [user.email],
        {"user": user},
        secret_link=one_time_link(request, user, "accounts:activate"),
    )


def email_changed_recently(user, now=None):
    """The address changed less than PASSWORD_RESET_BLOCKED_AFTER_EMAIL_CHANGE ago: no reset link to it."""
    if user.email_changed_at is None:
        return False
    age = (now or timezone.now()) - user.email_changed_at
    return age.total_seconds() < settings.PASSWORD_RESET_BLOCKED_AFTER_EMAIL_CHANGE


def change_password(user, new_password):
    """Sets a new password, lifts a lockout on the identifiant (the person proved who they are) and tells
    the account's address, so a change nobody asked for gets noticed."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    lift_lockout(user.identifiant, by=user)
    send_portal_mail("password_changed", [user.email], {"user": user})


def lift_lockout(identifiant, by=None):
    """Lifts the lock of an identifiant (django-axes): it can sign in again at once. The counters are
    reset; the history of the failures stays (AccessFailureLog). A lift is recorded (`by`: the agent, or
    the user who chose a new password)."""
    lifted = axes_reset(username=identifiant)
    if lifted:
        lockout_lifted.send(sender=User, identifiant=identifiant, by=by)
    return lifted


def _fingerprint(email):
    # The link carries a digest of the current address rather than the address itself (URLs end up in logs).
    return salted_hmac(EMAIL_CHANGE_SALT, email.lower()).hexdigest()[:20]


def _email_change_state(user):
    # What the link is bound to: the current address (used once: the address changes), the password (a
    # password change kills it) and the moment the request was sent (a newer request kills it).
    sent = user.pending_email_sent_at.isoformat() if user.pending_email_sent_at else ""
    return _fingerprint(f"{user.email}|{user.password}|{sent}")


def request_email_change(request, user, new_email, requested_by=None):
    """Sends a signed link to the NEW address; nothing changes until it is followed, whoever asked (the
    user, their administrator through « Modifier », a Caf agent). The link is built by the mail worker; it
    dies after EMAIL_CHANGE_MAX_AGE, once used, once the password changes and once a newer request is sent."""
    user.pending_email, user.pending_email_sent_at = new_email, timezone.now()
    user.save(update_fields=["pending_email", "pending_email_sent_at"])
    send_portal_mail(
        "email_change_confirm",
        [new_email],
        {"user": user, "new_email": new_email, "requested_by": requested_by},
        secret_link=SecretLink(
            "accounts.services.email_change_path",
            {"user_id": user.pk, "new_email": new_email},
            base=absolute_url("/", request).rstrip("/"),
        ),
    )


def email_change_path(user_id, new_email):
    """The confirmation link's path, built by the mail worker (core.mail.SecretLink)."""
    user = User.objects.get(pk=user_id)
    token = signing.dumps(
        {"user": user.pk, "state": _email_change_state(user), "new": new_email}, salt=EMAIL_CHANGE_SALT
    )
    return reverse("accounts:email_change_confirm", kwargs={"token": token})


def pending_email_message(new_email):
    return (
        f"La nouvelle adresse mail {new_email} ne sera enregistrée qu'une fois confirmée : un lien valable "
        "3 jours vient d'y être envoyé. D'ici là, l'adresse actuelle reste celle du compte."
    )


def read_email_change_token(token):
    """The user and the new address of a valid, unused confirmation token; None otherwise."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    user = User.objects.not_closed().filter(pk=data["user"]).first()
    if user is None or not constant_time_compare(_email_change_state(user), data.get("state", "")):
        return None
    return user, data["new"]


def confirm_email_change(user, new_email):
    """Applies the new address and sends a notice to the old one."""
    old_email = user.email
    user.email, user.pending_email, user.pending_email_sent_at = new_email, "", None
    user.email_changed_at = timezone.now()
    user.save(update_fields=["email", "pending_email", "pending_email_sent_at", "email_changed_at"])
    send_portal_mail("email_changed_notice", [old_email], {"user": user, "new_email": new_email})


def email_taken(organisme, email, exclude=None):
    """An address may be used by one open user of an organisme only."""
    users = User.objects.open().filter(organisme=organisme, email__iexact=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


class TakenEmails:
    """The addresses email_taken refuses for a new user of the organisme, read in one query: a file of
    users checks each of its lines against them (`email in taken`, case-insensitive as email_taken)."""

    def __init__(self, organisme):
        users = User.objects.open().filter(organisme=organisme)
        self._emails = {email.lower() for email in users.values_list("email", flat=True)}

    def __contains__(self, email):
        return email.lower() in self._emails
