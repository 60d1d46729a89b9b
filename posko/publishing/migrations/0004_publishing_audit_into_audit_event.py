"""Publishing's audit rows move into the one audit trail (``aduan.AuditEvent``, target
``post:<id>``, kind ``post_<action>``; the account post and platform in the details)."""

from django.db import migrations


def forwards(apps, schema_editor):
    PublishingAudit = apps.get_model("publishing", "PublishingAudit")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    rows = PublishingAudit.objects.select_related("post", "target").order_by("id")
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                polres_id=row.post.polres_id,
                actor_id=row.actor_id,
                action=f"post_{row.action}"[:40],
                target=f"post:{row.post_id}",
                data=(
                    {"account_post": row.target_id, "platform": row.target.platform, **row.data}
                    if row.target_id
                    else row.data
                ),
                created_at=row.created_at,
            )
            for row in rows.iterator()
        ),
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    PublishingAudit = apps.get_model("publishing", "PublishingAudit")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    moved = AuditEvent.objects.filter(aduan__isnull=True, target__startswith="post:")
    for row in moved.iterator():
        data = dict(row.data)
        target_id = data.pop("account_post", None)
        data.pop("platform", None)
        PublishingAudit.objects.create(
            post_id=int(row.target.split(":", 1)[1]),
            target_id=target_id,
            actor_id=row.actor_id,
            action=row.action.removeprefix("post_"),
            data=data,
            created_at=row.created_at,
        )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_target_results"),
        ("aduan", "0006_security_events_into_audit"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="PublishingAudit"),
    ]
