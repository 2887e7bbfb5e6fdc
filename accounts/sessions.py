"""The open sessions of a user: recorded at sign-in, ended all at once when the account closes or locks."""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .models import User, UserSession


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_user_sessions(user):
    """Signs `user` out everywhere: every session opened at sign-in is deleted from the session engine
    (database, or Redis and database with cached_db). Returns how many were ended.

    accounts.closing calls it when an account closes or reopens; a lockout calls it through
    axes' user_locked_out signal."""
    store = session_store()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    return len(keys)


def remember_session(sender, request, user, **kwargs):
    """user_logged_in: the new session key (cycled by login()) is kept; rows of sessions that have expired
    by now are dropped, so the table stays the size of the sessions really open. The time of sign-in is
    kept in the session, for its absolute limit (accounts.middleware)."""
    request.session["signed_in_at"] = time.time()
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    expired = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created_at__lt=expired).delete()
    UserSession.objects.get_or_create(session_key=key, defaults={"user": user})


def forget_session(sender, request, user, **kwargs):
    """user_logged_out: the session is flushed by Django; its row goes too."""
    if user is not None and request.session.session_key:
        UserSession.objects.filter(user=user, session_key=request.session.session_key).delete()


def end_sessions_on_lockout(sender, request, username, **kwargs):
    """axes' user_locked_out: whoever holds a session of a locked identifiant is signed out."""
    user = User.objects.filter(identifiant=username).first()
    if user is not None:
        end_user_sessions(user)
