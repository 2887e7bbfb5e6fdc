"""What every file import of the portal keeps (données d'activité, users): written once here.

`FileImport` is the abstract model both imports inherit: the file's name, one `ImportStatus`, the lines read
(each import its own format), how many there are (`total`) and how many the running step has done
(`done`, in the database: the progress page reads it), who imported, when and from which address, and
`updated_at`, bumped by the tasks as they progress.

A task that crashed, or a worker that stopped, must not leave an import « en cours » forever: a running
import whose `updated_at` is older than `settings.IMPORT_STALLED_AFTER_MINUTES` is stalled, shown as
« Interrompu » (`display_status`, `STALLED_MESSAGE`), and `mark_stalled_interrupted` (run daily by
`manage.py cleanup`) records it so. The file is then imported again."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import sql
from django.utils import timezone

from core.fields import done_by

# How often the progress page asks for the news, with JavaScript (static/js/import_progress.js).
PROGRESS_REFRESH_SECONDS = 3
STALLED_MESSAGE = "Le contrôle a été interrompu. Vous pouvez relancer l'import."
# The apply runs in one transaction: stopped, it saved nothing.
STALLED_APPLY_MESSAGE = (
    "L'application a été interrompue : rien n'a été enregistré. Vous pouvez relancer l'import."
)


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Contrôle en cours"
    CHECKED = "checked", "Contrôlé"
    APPLYING = "applying", "Application en cours"
    APPLIED = "applied", "Appliqué"
    FAILED = "failed", "Non appliqué"
    INTERRUPTED = "interrupted", "Interrompu"


RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)

# The connection that writes the progress of a step run inside one transaction (all or nothing): written
# there, the progress would be seen only once the step is over, and the import taken for a stalled one.
_progress_connection = ContextVar("progress_connection", default=None)


@contextmanager
def progress_outside_transaction():
    """Around a step that runs in one transaction: its progress is written by a connection of its own, in
    autocommit, so that the progress page (and the stalled check) see it as it goes.

    A step run inside a transaction already (the task run at once by the request that queued it, as with
    the immediate backend of DEBUG) writes its progress in that transaction: the request holds the import's
    row it has just updated, and a second connection would wait for it forever."""
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        yield
        return
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    token = _progress_connection.set(connection)
    try:
        yield
    finally:
        _progress_connection.reset(token)
        connection.close()


def stalled_before(now=None):
    """The moment before which a running import that wrote nothing is stalled."""
    return (now or timezone.now()) - timedelta(minutes=settings.IMPORT_STALLED_AFTER_MINUTES)


class FileImportQuerySet(models.QuerySet):
    def stalled(self, now=None):
        return self.filter(status__in=RUNNING, updated_at__lt=stalled_before(now))

    def record_progress(self, pk, done, **fields):
        """The running step has done `done` lines: written at once (the progress page reads it), with
        `updated_at`, so that a live task is never taken for a stalled one; by the connection of
        `progress_outside_transaction` when the step runs inside one."""
        values = {"done": done, "updated_at": timezone.now(), **fields}
        connection = _progress_connection.get()
        if connection is None:
            return self.filter(pk=pk).update(**values)
        query = self.filter(pk=pk).query.chain(sql.UpdateQuery)
        query.clear_ordering(force=True)
        query.add_update_values(values)
        statement, params = query.get_compiler(connection=connection).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    def mark_stalled_interrupted(self, now=None):
        """Daily (`manage.py cleanup`): every stalled import becomes « Interrompu ». Returns how many."""
        return self.stalled(now).update(status=ImportStatus.INTERRUPTED, updated_at=now or timezone.now())


class FileImport(models.Model):
    Status = ImportStatus

    file_name = models.CharField("fichier", max_length=255)
    status = models.CharField(
        "état", max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    lines = models.JSONField("lignes lues", default=list, blank=True)
    total = models.PositiveIntegerField("lignes", default=0)
    done = models.PositiveIntegerField("lignes traitées", default=0)
    created_by = done_by("importé par")
    created_at = models.DateTimeField("importé le", default=timezone.now)
    created_ip = models.GenericIPAddressField("adresse IP de l'import", null=True, blank=True)
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)

    objects = FileImportQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def save(self, *args, **kwargs):
        """A change of an import (a task's step done) shows it is alive: `updated_at` goes with it."""
        if not self._state.adding:
            self.updated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_running(self):
        """A task is checking or applying it (and has not stalled)."""
        return self.status in RUNNING and not self.is_stalled

    @property
    def is_stalled(self):
        return self.status in RUNNING and self.updated_at < stalled_before()

    @property
    def is_interrupted(self):
        return self.status == ImportStatus.INTERRUPTED or self.is_stalled

    @property
    def interruption(self):
        """What an interrupted import says (French), else ""."""
        if not self.is_interrupted:
            return ""
        return STALLED_APPLY_MESSAGE if self.was_applying else STALLED_MESSAGE

    @property
    def was_applying(self):
        """Its apply had started (an interrupted import keeps the trace: see `reached_apply`)."""
        return self.status == ImportStatus.APPLYING or (
            self.status == ImportStatus.INTERRUPTED and self.reached_apply()
        )

    def reached_apply(self):
        """Each import says from its own columns whether its apply was confirmed."""
        raise NotImplementedError

    @property
    def display_status(self):
        """The état shown: « Interrompu » for a stalled import, before `cleanup` records it."""
        return ImportStatus.INTERRUPTED.label if self.is_stalled else self.get_status_display()

    @property
    def progress_percent(self):
        return min(100, 100 * self.done // self.total) if self.total else 0
