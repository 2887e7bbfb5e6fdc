"""The check and the apply of an import of données d'activité run in the task queue (django-tasks): a
file of 10,000 lines does not hold a page, and the progress page follows them (rule 24)."""

from django_tasks import task

from afas.models import DeclarationImport

from . import imports


@task()
def check_import(import_id):
    declaration_import = DeclarationImport.objects.select_related("created_by", "campaign").get(pk=import_id)
    if declaration_import.status == DeclarationImport.Status.CHECKING:  # a task run twice checks once
        imports.run_check(declaration_import)


@task()
def apply_import(import_id):
    declaration_import = DeclarationImport.objects.select_related("created_by", "campaign").get(pk=import_id)
    if declaration_import.status == DeclarationImport.Status.APPLYING:  # a task run twice applies once
        imports.run_apply(declaration_import)
