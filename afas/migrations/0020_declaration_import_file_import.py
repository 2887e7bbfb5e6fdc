# DeclarationImport on core.imports.FileImport: the names both imports share (no data lost), `updated_at`
# that the tasks bump as they progress (a running import that stops bumping it is « Interrompu »).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def updated_when_created(apps, schema_editor):
    DeclarationImport = apps.get_model("afas", "DeclarationImport")
    DeclarationImport.objects.update(updated_at=models.functions.Coalesce("applied_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("afas", "0019_mail_kind_to_approve"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="declarationimport", name="afas_declar_user_id_388950_idx"),
        migrations.RenameField("declarationimport", "user", "created_by"),
        migrations.RenameField("declarationimport", "ip", "created_ip"),
        migrations.AddField(
            model_name="declarationimport",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="mis à jour le"),
        ),
        migrations.RunPython(updated_when_created, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="declarationimport",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="importé par",
            ),
        ),
        migrations.AlterField(
            model_name="declarationimport",
            name="created_ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="adresse IP de l'import"),
        ),
        migrations.AlterField(
            model_name="declarationimport",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="lignes traitées"),
        ),
        migrations.AlterField(
            model_name="declarationimport",
            name="lines",
            field=models.JSONField(blank=True, default=list, verbose_name="lignes lues"),
        ),
        migrations.AlterField(
            model_name="declarationimport",
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
        migrations.AddIndex(
            model_name="declarationimport",
            index=models.Index(fields=["created_by", "campaign"], name="afas_declar_created_c1b782_idx"),
        ),
    ]
