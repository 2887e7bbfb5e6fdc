"""Passkeys (issue 13 §1, WebAuthn with py_webauthn): added from « Sécuriser mon compte », given at the
second step of the sign-in (and before a sensitive action) as a second factor, like the app's code.

The ceremony needs no endpoint of its own: the page carries the options (json_script) and keeps their
challenge in the session; static/js/passkeys.js asks the browser, puts its answer in the form's hidden
`credential` field and submits the form, whose view checks the answer here. A challenge serves once."""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from core.client_ip import client_ip

from ..models import User
from ..signals import passkey_removed
from .models import Passkey
from .services import (
    SecondFactorRequired,
    has_second_factor,
    is_required,
    passkeys_of,
    totp_device,
    verify_second_factor,
    withdraw_devices,
)

REGISTRATION_KEY = "passkey_registration_challenge"
AUTHENTICATION_KEY = "passkey_authentication_challenge"
DEFAULT_NAME = "Clé d'accès"
NAME_MAX_LENGTH = 64
NOT_REGISTERED = "La clé d'accès n'a pas pu être enregistrée : recommencez, ou utilisez l'application."
LAST_FACTOR = (
    "Cette clé d'accès est votre dernier second facteur, obligatoire pour votre compte : ajoutez une autre "
    "clé ou l'application d'authentification avant de la supprimer."
)


class PasskeyRefused(Exception):
    pass


def offer(request, key, options):
    """The options of a ceremony as JSON data for the page; their challenge waits in the session under `key`
    until the browser's answer comes back (then `expected` checks it)."""
    request.session[key] = bytes_to_base64url(options.challenge)
    return json.loads(options_to_json(options))


def expected(request, challenge):
    """What the browser's answer must be signed for: the challenge kept in the session, the portal's
    relying party, and WEBAUTHN_ORIGINS or the page's own origin (its host is one of ALLOWED_HOSTS)."""
    return {
        "expected_challenge": base64url_to_bytes(challenge),
        "expected_rp_id": settings.WEBAUTHN_RP_ID,
        "expected_origin": settings.WEBAUTHN_ORIGINS or [f"{request.scheme}://{request.get_host()}"],
    }


def user_handle(user):
    """The WebAuthn user id: stable for the user, and neither their identifiant nor their database id."""
    return salted_hmac(
        "accounts.second_factor.passkeys.user_handle", str(user.pk), algorithm="sha256"
    ).digest()


def descriptors(user):
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(passkey.credential_id))
        for passkey in passkeys_of(user)
    ]


def registration_options(request):
    """The options of « Ajouter une clé d'accès », as JSON data for the page; their challenge waits in the
    session. The user's passkeys are excluded (the same authenticator is not registered twice)."""
    user = request.user
    options = generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=user_handle(user),
        user_name=user.identifiant,
        user_display_name=user.get_full_name() or user.identifiant,
        exclude_credentials=descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return offer(request, REGISTRATION_KEY, options)


def register_passkey(request, credential, name=""):
    """Checks the browser's answer to the registration options and records the passkey; raises
    PasskeyRefused with the French message otherwise."""
    challenge = request.session.pop(REGISTRATION_KEY, None)
    if challenge is None or not credential:
        raise PasskeyRefused(NOT_REGISTERED)
    try:
        verified = verify_registration_response(credential=credential, **expected(request, challenge))
        transports = json.loads(credential).get("response", {}).get("transports") or []
    except (WebAuthnException, ValueError, TypeError, AttributeError) as error:
        raise PasskeyRefused(NOT_REGISTERED) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyRefused("Cette clé d'accès est déjà enregistrée.")
    return Passkey.objects.create(
        user=request.user,
        name=(name.strip() or DEFAULT_NAME)[:NAME_MAX_LENGTH],
        confirmed=True,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(transport) for transport in transports][:10],
    )


def authentication_options(request, user):
    """The options of « Utiliser ma clé d'accès » (the user's passkeys), as JSON data for the page; their
    challenge waits in the session. None when the user has no passkey."""
    allowed = descriptors(user)
    if not allowed:
        return None
    options = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return offer(request, AUTHENTICATION_KEY, options)


def answering_passkey(request, user, credential):
    """The user's passkey that signed the challenge of the page (its counter moved on), or None."""
    challenge = request.session.pop(AUTHENTICATION_KEY, None)
    try:
        credential_id = json.loads(credential)["id"]
    except (ValueError, TypeError, KeyError):
        return None
    passkey = (
        Passkey.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=str(credential_id))
        .first()
    )
    if passkey is None or challenge is None:
        return None
    try:
        verified = verify_authentication_response(
            credential=credential,
            **expected(request, challenge),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, TypeError, AttributeError):
        return None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


def verify_passkey(request, user, credential):
    """A passkey's answer at the second step, under the step's lockout: (passkey or None, locked_until), as
    services.verify_code for a typed code."""
    return verify_second_factor(request, user, lambda: answering_passkey(request, user, credential))


def rename_passkey(passkey, name):
    passkey.name = name.strip()[:NAME_MAX_LENGTH] or DEFAULT_NAME
    passkey.save(update_fields=["name"])


def remove_passkey(passkey, by, request=None):
    """« Supprimer » a passkey: it stays on record, unconfirmed, with the date; recorded in the audit trail
    (passkey_removed). Refused when it is the last factor of someone who must have one. A declarant left
    with no factor has their recovery codes withdrawn too."""
    user = passkey.user
    others = passkeys_of(user).exclude(pk=passkey.pk).exists() or totp_device(user) is not None
    if not others and is_required(user):
        raise SecondFactorRequired(LAST_FACTOR)
    passkey.confirmed = False
    passkey.removed_at = timezone.now()
    passkey.save(update_fields=["confirmed", "removed_at"])
    if not has_second_factor(user):
        withdraw_devices(user)
    passkey_removed.send(sender=User, user=user, by=by, passkey=passkey, ip_address=client_ip(request))
