"""The readiness of a web process (/readyz): can it serve, and is the mail queue being sent?

Each check answers None when fine, or a short reason; the view answers 503 naming every failing part."""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .deployment import DATABASE_TASK_BACKEND


def check_postgresql():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"injoignable ({type(error).__name__})"
    return None


def check_redis():
    if not settings.REDIS_URL:
        return None  # no Redis configured: sessions and cache do without it
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        return f"injoignable ({type(error).__name__})"
    return None


def oldest_unsent_mail_age():
    """How long the oldest mail waiting to be sent has waited (None when the queue is empty)."""
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    return None if oldest is None else timezone.now() - oldest


def check_mail_queue():
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASK_BACKEND:
        return None  # mails sent at once (DEBUG, tests): no queue to watch
    try:
        age = oldest_unsent_mail_age()
    except DatabaseError:
        return "inconnue (base injoignable)"
    limit = timedelta(seconds=settings.MAIL_QUEUE_MAX_AGE)
    if age is not None and age > limit:
        return f"un mail attend depuis {int(age.total_seconds())} s (limite {int(limit.total_seconds())} s) : le worker ne tourne pas ?"
    return None


CHECKS = {"postgresql": check_postgresql, "redis": check_redis, "mail_queue": check_mail_queue}


def readiness():
    """{part: None or reason} for every part."""
    return {name: check() for name, check in CHECKS.items()}
