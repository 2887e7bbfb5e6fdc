# UserImport on core.imports.FileImport: the names both imports share (no data lost), the états mapped onto
# the one ImportStatus, and the progress kept in the database (`done`, `updated_at`), no longer in the cache.

import django.utils.timezone
from django.db import migrations, models

STATUSES = {"verification": "checking", "verifie": "checked", "creation": "applying", "termine": "applied"}


def map_statuses(apps, schema_editor):
    UserImport = apps.get_model("conventions", "UserImport")
    for old, new in STATUSES.items():
        UserImport.objects.filter(status=old).update(status=new)
    UserImport.objects.update(
        updated_at=models.functions.Coalesce("finished_at", "confirmed_at", "created_at")
    )
    UserImport.objects.filter(status="applied").update(done=models.F("total"))


def unmap_statuses(apps, schema_editor):
    UserImport = apps.get_model("conventions", "UserImport")
    UserImport.objects.filter(status__in=["failed", "interrupted"]).update(status="checked")
    for old, new in STATUSES.items():
        UserImport.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0008_user_import"),
    ]

    operations = [
        migrations.RenameField("userimport", "filename", "file_name"),
        migrations.RenameField("userimport", "etat", "status"),
        migrations.RenameField("userimport", "line_count", "total"),
        migrations.AddField(
            model_name="userimport",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="lignes traitées"),
        ),
        migrations.AddField(
            model_name="userimport",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="mis à jour le"),
        ),
        migrations.AlterField(
            model_name="userimport",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="importé le"),
        ),
        migrations.AlterField(
            model_name="userimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("checking", "Contrôle en cours"),
                    ("checked", "Contrôlé"),
                    ("applying", "Application en cours"),
                    ("applied", "Appliqué"),
                    ("failed", "Non appliqué"),
                    ("interrupted", "Interrompu"),
                ],
                default="checking",
                max_length=20,
                verbose_name="état",
            ),
        ),
        migrations.AlterField(
            model_name="userimport",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="lignes"),
        ),
        migrations.RunPython(map_statuses, unmap_statuses),
    ]
