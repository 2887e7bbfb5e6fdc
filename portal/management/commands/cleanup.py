"""The periodic cleanups: expired sessions (clearsessions) and the mail tasks run long ago
(prune_db_task_results of django-tasks-db), so neither table grows without bound.

`manage.py cleanup` runs them once; `--every SECONDS` runs them forever (the `cleanup` service of
docker-compose.yml)."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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
