"""The mail task moved from portal.mail to core.mail: mails queued before the upgrade keep their old task
path; the worker would fail to import it and the mail would be lost. They are pointed at the new one."""

from django.db import migrations

OLD, NEW = "portal.mail.deliver_mail", "core.mail.deliver_mail"


def point_queued_mails_at(old, new):
    def move(apps, schema_editor):
        apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
            task_path=old, status="READY"
        ).update(task_path=new)

    return move


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(point_queued_mails_at(OLD, NEW), point_queued_mails_at(NEW, OLD))]
