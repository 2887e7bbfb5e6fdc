"""JSON log lines with time, level, logger, request id, client address and user id; the request id comes
from nginx (X-Request-ID) and is echoed; X-Served-By names the process when INSTANCE_ID is set."""

import io
import json
import logging

import pytest
from django.conf import settings as django_settings
from django.utils.module_loading import import_string

from portal.log_context import RequestContextFilter
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def json_formatter():
    """The formatter of settings.LOGGING["formatters"]["json"], built as dictConfig builds it."""
    spec = dict(django_settings.LOGGING["formatters"]["json"])
    factory = import_string(spec.pop("()"))
    return factory(fmt=spec.pop("format"), **spec)


def json_lines_of(logger_name):
    """Yields a function that returns the JSON lines logged so far by `logger_name` (with the request
    context), as production writes them; for a fixture."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.fixture
def json_lines():
    yield from json_lines_of("django.request")


def test_a_logged_request_carries_its_id_client_and_user(client, json_lines, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(declarant=True)
    client.force_login(user)
    response = client.get(
        "/page-inconnue/",
        HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert response.status_code == 404
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    (line,) = json_lines()
    assert line["level"] == "WARNING" and line["logger"] == "django.request" and line["time"]
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["client_ip"] == "203.0.113.5"
    assert line["user_id"] == user.pk


def test_a_request_without_id_gets_one_and_a_forged_one_is_replaced(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_served_by_names_the_process_only_when_configured(client, settings):
    assert "X-Served-By" not in client.get("/healthz")
    settings.INSTANCE_ID = "web2"
    assert client.get("/healthz")["X-Served-By"] == "web2"


def test_production_logs_are_json_lines_on_the_console():
    console = django_settings.LOGGING["handlers"]["console"]
    assert console["formatter"] == "json" and "request_context" in console["filters"]
