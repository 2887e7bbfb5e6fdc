"""The client's address behind TRUSTED_PROXY_COUNT proxies: one helper for the audit trail, the lockout
(django-axes, AXES_CLIENT_IP_CALLABLE) and the logs.

Each proxy appends the address it received the request from to X-Forwarded-For; only the last
TRUSTED_PROXY_COUNT hops are ours. Whatever the client wrote to the left of them is not believed."""

from django.conf import settings


def client_ip_from(remote_addr, forwarded_for, trusted_proxies):
    """The address of the first hop not one of our `trusted_proxies` (REMOTE_ADDR being the last)."""
    if trusted_proxies <= 0:
        return remote_addr
    hops = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
    hops.append(remote_addr)
    # hops[-1] is the nearest proxy, hops[-1 - trusted_proxies] the one that reached the outermost proxy.
    if len(hops) <= trusted_proxies:
        return hops[0]  # fewer hops than configured: the request did not come through all our proxies
    return hops[-1 - trusted_proxies]


def client_ip(request):
    """The client's address of a request (computed once by portal.middleware.RequestContextMiddleware)."""
    if request is None:
        return None
    known = getattr(request, "client_ip", None)
    if known:
        return known
    return client_ip_from(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXY_COUNT,
    )
