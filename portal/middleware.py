"""Per-request context: request id, client address, the user in the logs, the process that answered."""

import logging
import re
import uuid

from django.conf import settings

from core.client_ip import client_ip
from core.security_log import security_event

from . import log_context

# nginx's $request_id is 32 hex digits; anything else a client sends is replaced, not logged.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request):
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    """First of all: the request id (from nginx, echoed in X-Request-ID) and the client's address
    (request.client_ip) are known to everything after it, the logs included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        request.client_ip = client_ip(request)
        # Kept until the request is finished (log_context.forget_request): Django logs a 4xx/5xx response
        # once every middleware has returned.
        log_context.start_request(request.request_id, request.client_ip)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if settings.INSTANCE_ID:
            response["X-Served-By"] = settings.INSTANCE_ID
        return response


class LogUserMiddleware:
    """After authentication: the signed-in user's id in every later log line of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            log_context.user_id.set(request.user.pk)
        return self.get_response(request)


class RefusalLogMiddleware:
    """The one place that logs a refusal (ASVS 16.3.2, 16.3.3), whatever refused it: a 403 (a right
    missing, a CSRF token missing or wrong, a locked identifiant) and a 404 on a page that exists (the
    scoping helpers answer 404 for an id outside the user's scope) are `authorization_refused`; a 400 (a
    request Django found suspicious: a forged Host, too many fields, a broken form) is `request_refused`; a
    429 (too many mails asked: accounts.services.mail_allowed) is `rate_limited`. A 404 on an address that names no page is not a refusal. The path is logged, never the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        match = getattr(request, "resolver_match", None)
        if status == 403 or (status == 404 and match is not None):
            event = "authorization_refused"
        elif status == 400:
            event = "request_refused"
        elif status == 429:
            event = "rate_limited"
        else:
            return response
        security_event(
            event,
            logging.WARNING,
            status=status,
            method=request.method,
            path=request.path,
            view=match.view_name if match is not None else None,
        )
        return response
