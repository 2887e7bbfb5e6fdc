"""The security events of the logs (ASVS 5.0 16.3.1 to 16.3.3): one logger, « security », one line per
event with its name in `event` and its details as fields, beside the request id, client address and user
id that every line carries (portal.log_context). Never a password, a code, a token or an identifiant typed
by someone who failed to sign in: the user id when the account is known.

Events: sign_in (the password was right; `second_factor`: what is still asked), sign_in_failed,
second_factor_passed (`factor`: totp, passkey or recovery_code), second_factor_failed,
second_factor_locked, sign_out, authorization_refused (403, or 404 on a page that exists: a foreign id),
request_refused (a request Django found suspicious: 400; a CSRF failure is a 403), rate_limited (429:
too many mails asked for), choice_refused (a form's list got a value it did not offer: core/choices.py)."""

import logging

logger = logging.getLogger("security")


def security_event(event, level=logging.INFO, **details):
    logger.log(level, event, extra={"event": event, **details})
