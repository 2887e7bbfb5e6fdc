"""What each log line says about its request: request id, client address, signed-in user.

Set by portal.middleware for the duration of a request, read by RequestContextFilter (LOGGING)."""

import logging
from contextvars import ContextVar

request_id = ContextVar("request_id", default=None)
client_ip = ContextVar("client_ip", default=None)
user_id = ContextVar("user_id", default=None)


def start_request(rid, ip):
    request_id.set(rid)
    client_ip.set(ip)
    user_id.set(None)


def forget_request(**kwargs):
    """request_finished: the next log lines of this thread belong to no request."""
    start_request(None, None)


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        record.client_ip = client_ip.get()
        record.user_id = user_id.get()
        return True
