"""The open sessions of a user: recorded at sign-in, listed in « Mes connexions », ended all at once when
the account closes or locks, or all but the current one on the user's request."""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.client_ip import client_ip

from .models import User, UserSession
from .signals import sessions_ended

# Activity is recorded at most every ACTIVITY_RESOLUTION seconds (accounts.middleware, no write on every
# page); a session unused for longer than the idle limit plus this slack is over, even if its row is left.
ACTIVITY_RESOLUTION = 30


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_user_sessions(user, keep=None):
    """Signs `user` out everywhere (but in the session whose key is `keep`): every session opened at
    sign-in is deleted from the session engine (database, or Redis and database with cached_db). Returns
    how many were ended.

    accounts.closing calls it when an account closes or reopens; a lockout calls it through
    axes' user_locked_out signal; « Déconnecter les autres sessions » with keep=the current session."""
    store = session_store()
    keys = list(
        UserSession.objects.filter(user=user).exclude(session_key=keep).values_list("session_key", flat=True)
    )
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    return len(keys)


def sign_out_everywhere(user, by, request=None):
    """« Déconnecter de toutes ses sessions » (back-office, ASVS 7.4.5): every session of `user` ends, the
    account stays open (they may sign in again); recorded in the audit trail (sessions_ended). Returns how
    many sessions were ended."""
    ended = end_user_sessions(user)
    sessions_ended.send(sender=User, user=user, by=by, sessions=ended, ip_address=client_ip(request))
    return ended


def remember_session(sender, request, user, **kwargs):
    """user_logged_in: the new session key (cycled by login()) is kept; rows of sessions that have expired
    by now are dropped, so the table stays the size of the sessions really open. The time of sign-in is
    kept in the session, for its absolute limit (accounts.middleware)."""
    request.session["signed_in_at"] = time.time()
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    now = timezone.now()
    expired = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created_at__lt=expired).delete()
    UserSession.objects.get_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
            "ip": client_ip(request) or None,
            "last_activity_at": now,
        },
    )


def record_activity(request):
    """The idle timer's tick (every ACTIVITY_RESOLUTION seconds of use): « Dernière activité »."""
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_activity_at=timezone.now()
    )


def open_sessions(user, now=None):
    """The sessions of `user` still open: signed in less than SESSION_COOKIE_AGE ago and used within the
    idle limit; the most recently used first."""
    now = now or timezone.now()
    idle_cutoff = now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + ACTIVITY_RESOLUTION)
    return (
        UserSession.objects.filter(
            user=user, created_at__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        )
        .filter(
            Q(last_activity_at__gte=idle_cutoff)
            | Q(last_activity_at__isnull=True, created_at__gte=idle_cutoff)
        )
        .order_by("-last_activity_at", "-created_at")
    )


def forget_session(sender, request, user, **kwargs):
    """user_logged_out: the session is flushed by Django; its row goes too."""
    if user is not None and request.session.session_key:
        UserSession.objects.filter(user=user, session_key=request.session.session_key).delete()


def end_sessions_on_lockout(sender, request, username, **kwargs):
    """axes' user_locked_out: whoever holds a session of a locked identifiant is signed out."""
    user = User.objects.filter(identifiant=username).first()
    if user is not None:
        end_user_sessions(user)
