"""/readyz: PostgreSQL, Redis and the mail queue's age; 503 naming each failing part."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from core.mail import deliver_mail
from portal.deployment import DATABASE_TASK_BACKEND, shared_state_settings

pytestmark = pytest.mark.django_db(transaction=False)

DEAD_REDIS = "redis://127.0.0.1:9/0"  # discard port: nothing listens there


def test_ready_when_every_part_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": {}}


def test_unreachable_postgresql_is_named(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["failing"]) == {"postgresql"}


def test_unreachable_redis_is_named(client, settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = shared_state_settings(DEAD_REDIS)["CACHES"]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["failing"]) == {"redis"}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_TASK_BACKEND}}  # django-tasks follows setting changes
    settings.MAIL_QUEUE_MAX_AGE = 600


def queue_mail(age):
    from django_tasks_db.models import DBTaskResult

    result = deliver_mail.enqueue("Objet", "Corps", "portail@example.fr", ["a@example.fr"])
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - age)


def test_a_mail_waiting_longer_than_the_limit_names_the_queue(client, database_queue):
    queue_mail(timedelta(minutes=11))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["failing"]) == {"mail_queue"}
    assert "660 s" in response.json()["failing"]["mail_queue"]


def test_a_mail_just_queued_is_fine(client, database_queue):
    queue_mail(timedelta(minutes=1))
    assert client.get("/readyz").status_code == 200
