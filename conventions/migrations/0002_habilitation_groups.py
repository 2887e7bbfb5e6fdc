from django.db import migrations

GROUPS = [
    ("AFAS-HABILITER", "AFAS-HAB - AFAS Habiliter"),
    ("AFAS-DECLARER", "AFAS-DEC - AFAS Déclarer"),
]


def create_groups(apps, schema_editor):
    HabilitationGroup = apps.get_model("conventions", "HabilitationGroup")
    for code, libelle in GROUPS:
        HabilitationGroup.objects.update_or_create(code=code, defaults={"libelle": libelle})


class Migration(migrations.Migration):
    dependencies = [("conventions", "0001_initial")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
