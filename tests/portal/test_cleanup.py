"""`manage.py cleanup`: expired sessions and the mail tasks finished past their retention are removed; the
file imports whose task stopped are marked « Interrompu »."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conventions.models import UserImport
from core.imports import ImportStatus
from core.mail import deliver_mail
from portal.deployment import DATABASE_TASK_BACKEND
from tests.afas.factories import DeclarationFactory, DeclarationImportFactory, HabilitationFactory
from tests.clock import TODAY, on_today
from tests.conventions.factories import UserImportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_TASK_BACKEND}}
    settings.TASK_RESULTS_RETENTION_DAYS = 14
    settings.FAILED_TASK_RESULTS_RETENTION_DAYS = 90


def finished_task(status, days_ago):
    result = deliver_mail.enqueue("Objet", "Corps", "portail@example.fr", ["a@example.fr"])
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )
    return result.id


def test_cleanup_prunes_old_finished_mail_tasks_and_keeps_the_rest(database_queue):
    old_sent = finished_task("SUCCESSFUL", 20)
    recent_sent = finished_task("SUCCESSFUL", 3)
    failed_month_ago = finished_task("FAILED", 30)  # kept longer: its error is still worth reading
    old_failed = finished_task("FAILED", 100)
    waiting = deliver_mail.enqueue("Objet", "Corps", "portail@example.fr", ["b@example.fr"]).id
    call_command("cleanup", verbosity=0)
    kept = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert kept == {recent_sent, failed_month_ago, waiting}
    assert old_sent not in kept and old_failed not in kept


def test_cleanup_clears_expired_sessions(database_queue):
    Session.objects.create(
        session_key="expiree", session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="ouverte", session_data="", expire_date=timezone.now() + timedelta(hours=1)
    )
    call_command("cleanup", verbosity=0)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["ouverte"]


def test_cleanup_forgets_sign_ins_older_than_the_year_the_privacy_page_states(client):
    """« Données personnelles »: connection logs are kept 1 year. A block (10 failures) stays until an agent
    lifts it, however old."""
    from axes.models import AccessAttempt, AccessLog

    def attempt(username, days_ago, failures):
        row = AccessAttempt.objects.create(
            username=username,
            ip_address="127.0.0.1",
            user_agent="Firefox",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/",
            failures_since_start=failures,
        )
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))

    def log(username, days_ago):
        row = AccessLog.objects.create(username=username, ip_address="127.0.0.1", user_agent="Firefox")
        AccessLog.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))

    attempt("ancien", 400, 2)
    attempt("recent", 10, 2)
    attempt("bloque", 400, 10)
    log("ancien", 400)
    log("recent", 10)
    call_command("cleanup", verbosity=0)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"recent", "bloque"}
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"recent"}


@on_today
def test_cleanup_sends_the_declaration_reminders_once(mailoutbox):
    declaration = DeclarationFactory(campaign__date_limite=TODAY + timedelta(days=3))
    HabilitationFactory(activite=declaration.activite, user__email="da@example.fr")
    call_command("cleanup", verbosity=0)
    call_command("cleanup", verbosity=0)
    assert sorted(m.subject.split(" :")[0] for m in mailoutbox) == [
        "Campagne de déclaration ouverte",
        "Rappel",
    ]


def test_cleanup_marks_interrupted_the_imports_whose_task_stopped(settings):
    settings.IMPORT_STALLED_AFTER_MINUTES = 15
    long_ago = timezone.now() - timedelta(minutes=16)
    stalled_check = DeclarationImportFactory(updated_at=long_ago)
    stalled_creation = UserImportFactory(status=UserImport.Status.APPLYING, updated_at=long_ago)
    checked_long_ago = UserImportFactory(status=UserImport.Status.CHECKED, updated_at=long_ago)
    still_running = DeclarationImportFactory(updated_at=timezone.now() - timedelta(minutes=14))
    call_command("cleanup", verbosity=0)
    for imported in (stalled_check, stalled_creation, checked_long_ago, still_running):
        imported.refresh_from_db()
    assert stalled_check.status == stalled_creation.status == ImportStatus.INTERRUPTED
    assert checked_long_ago.status == ImportStatus.CHECKED  # waiting for its confirmation, not stalled
    assert still_running.status == ImportStatus.CHECKING and still_running.is_running
