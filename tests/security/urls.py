"""The URL configuration walked: every pattern with its full name ("namespace:name")."""

from django.urls import URLResolver, get_resolver


def url_patterns(resolver=None, namespace="", prefix=""):
    """Yields (full name or None, pattern, full route) for every URL pattern of the portal."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern, route


def named_urls():
    """{full name: pattern} of every named URL (the first pattern of a name, as reverse() uses)."""
    names = {}
    for name, pattern, _ in url_patterns():
        if name:
            names.setdefault(name, pattern)
    return names
