"""Absolute links, for the mails: built from the public address (SITE_URL), never from the request.

Behind the proxy the request only knows the address nginx used to reach one web process; the mail must
carry the address the user reaches (https://portail.example.fr). Without SITE_URL (make run, tests), the
request's own address is the public one."""

from django.conf import settings


def absolute_url(path, request=None):
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
