"""The periodic cleanups: expired sessions (clearsessions), the mail tasks run long ago
(prune_db_task_results of django-tasks-db), so neither table grows without bound, and the sign-in logs
kept no longer than « Données personnelles » says (CONNECTION_LOG_RETENTION_DAYS: django-axes' logs and the
attempts that did not block an identifiant; a block stays until an agent lifts it). It also sends the day's
declaration mails (campaign openings, reminders before the date limite: `send_declaration_reminders`),
and marks « Interrompu » the file imports whose task stopped (core/imports.py).

`manage.py cleanup` runs them once; `--every SECONDS` runs them forever (the `cleanup` service of
docker-compose.yml)."""

import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from afas.models import DeclarationImport
from conventions.models import UserImport
from portal.deployment import DATABASE_TASK_BACKEND


class Command(BaseCommand):
    help = (
        "Supprime les sessions expirées et les tâches d'envoi de mail terminées depuis la durée de rétention."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="recommence toutes les N secondes")

    def handle(self, *args, every, **options):
        while True:
            self.clean_once(options["verbosity"])
            if not every:
                return
            time.sleep(every)

    def clean_once(self, verbosity):
        call_command("clearsessions", verbosity=verbosity)
        call_command("close_access_reviews", verbosity=verbosity, stdout=self.stdout)
        self.forget_old_sign_ins(verbosity)
        call_command("send_declaration_reminders", verbosity=verbosity, stdout=self.stdout)
        call_command("forget_user_imports", verbosity=verbosity, stdout=self.stdout)
        self.interrupt_stalled_imports(verbosity)
        if settings.TASKS["default"]["BACKEND"] != DATABASE_TASK_BACKEND:
            return  # mails sent at once: no queue rows to prune
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=settings.TASK_RESULTS_RETENTION_DAYS,
            failed_min_age_days=settings.FAILED_TASK_RESULTS_RETENTION_DAYS,
            verbosity=verbosity,
            stdout=self.stdout,
        )

    def interrupt_stalled_imports(self, verbosity):
        interrupted = sum(
            model.objects.mark_stalled_interrupted() for model in (DeclarationImport, UserImport)
        )
        if verbosity:
            self.stdout.write(f"{interrupted} import(s) de fichier interrompu(s).")

    def forget_old_sign_ins(self, verbosity):
        days = settings.CONNECTION_LOG_RETENTION_DAYS
        call_command("axes_reset_logs", age=days, verbosity=verbosity, stdout=self.stdout)
        AccessAttempt.objects.filter(
            attempt_time__lt=timezone.now() - timedelta(days=days),
            failures_since_start__lt=settings.AXES_FAILURE_LIMIT,
        ).delete()
