"""The opening mails of the campaigns opened before the daily job existed.

Until 0013, « Ouvrir une campagne » in the back-office mailed the campaign's approbateurs at once and kept
no trace of it. The daily job (rule 28) sends the opening mail to whoever has no SentReminder for the
campaign: its first run would have mailed those approbateurs a second time. This records, for each
campaign a Caf agent opened before 0013 was applied, the approbateurs the old mail went to (validated and in
force on the opening day, on one of the campaign's activités); its providers, never told, get it once."""

from django.db import migrations
from django.db.models import Q

BEFORE = ("afas", "0013_mail_preferences_and_sent_reminders")


def record_openings_mailed_before(apps, before):
    from django.utils import timezone

    Campaign = apps.get_model("afas", "Campaign")
    Habilitation = apps.get_model("afas", "Habilitation")
    SentReminder = apps.get_model("afas", "SentReminder")
    # Opened by nobody: the demo's campaigns, opened without any mail.
    for campaign in Campaign.objects.filter(opened_at__lt=before, opened_by__isnull=False).iterator():
        day = timezone.localdate(campaign.opened_at)
        told = (
            Habilitation.objects.filter(
                role="approbateur",
                caf_decision="validated",
                activite__declarations__campaign=campaign,
                debut__lte=day,
            )
            .filter(Q(fin__isnull=True) | Q(fin__gt=day))
            .filter(Q(decided_at__isnull=True) | Q(decided_at__lte=campaign.opened_at))
            .exclude(user__email="")
            .values_list("user_id", flat=True)
            .distinct()
        )
        SentReminder.objects.bulk_create(
            [
                SentReminder(
                    user_id=user_id, kind="campaign_opened", campaign=campaign, sent_at=campaign.opened_at
                )
                for user_id in told
            ],
            ignore_conflicts=True,  # already recorded: one row per campaign, user and kind
        )


def openings_already_mailed(apps, schema_editor):
    from django.db.migrations.recorder import MigrationRecorder
    from django.utils import timezone

    app, name = BEFORE
    applied = (
        MigrationRecorder(schema_editor.connection)
        .migration_qs.filter(app=app, name=name)
        .values_list("applied", flat=True)
        .first()
    )
    record_openings_mailed_before(apps, applied or timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("afas", "0017_passkey_removed_audit_action"),
    ]

    operations = [
        migrations.RunPython(openings_already_mailed, migrations.RunPython.noop),
    ]
