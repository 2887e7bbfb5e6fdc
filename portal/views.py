import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .readiness import readiness

DATABASE_DOWN = (OperationalError, InterfaceError)


@login_not_required
@never_cache
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a connection
def healthz(request):
    """For the load balancer and the benchmark's floor: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
@transaction.non_atomic_requests
def readyz(request):
    """Readiness for the operator and the orchestrator: PostgreSQL, Redis and the mail queue's age; 503
    naming each failing part, so the probe's answer says what to look at."""
    failures = {part: reason for part, reason in readiness().items() if reason}
    body = {"status": "indisponible" if failures else "ok", "failing": failures}
    return JsonResponse(body, status=503 if failures else 200, json_dumps_params={"ensure_ascii": False})


@requires_csrf_token
def server_error(request):
    """handler500. An unreachable database anywhere in the request (even in the session middleware, where
    no other middleware could catch it) gives the 503 page; rendered without context processors, which
    would query the database."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "120"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
