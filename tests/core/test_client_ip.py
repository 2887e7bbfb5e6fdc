"""The client's address behind the proxies: X-Forwarded-For trusted for exactly TRUSTED_PROXY_COUNT hops."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from core.client_ip import client_ip, client_ip_from

NGINX = "10.0.0.2"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", "", 0, "203.0.113.5"),  # no proxy: the socket's address
        ("203.0.113.5", "198.51.100.1", 0, "203.0.113.5"),  # no proxy configured: the header is ignored
        (NGINX, "203.0.113.5", 1, "203.0.113.5"),  # nginx appended the client's address
        (NGINX, "6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # the client's own header is not believed
        (NGINX, "6.6.6.6, 203.0.113.5, 10.0.0.1", 2, "203.0.113.5"),  # TLS terminator, then nginx
        (NGINX, "", 1, NGINX),  # configured for a proxy the request did not cross: the nearest address
    ],
)
def test_client_address_is_the_hop_before_our_proxies(remote, forwarded, trusted, expected):
    assert client_ip_from(remote, forwarded, trusted) == expected


def test_no_request_no_address():
    """A service called outside a request (a command, the back-office's batch) records no address: the
    callers pass their optional request to client_ip as it is."""
    assert client_ip(None) is None


@pytest.mark.django_db
def test_failed_sign_in_is_counted_for_the_client_not_a_forged_header(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("accounts:login"),
        {"username": "999999999", "password": "pas le bon mot de passe"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5",
    )
    assert AccessAttempt.objects.get(username="999999999").ip_address == "203.0.113.5"
