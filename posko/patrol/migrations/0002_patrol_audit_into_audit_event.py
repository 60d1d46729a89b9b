"""The patrol's audit rows move into the one audit trail (``aduan.AuditEvent``, target
``hoax_claim:<id>`` or ``patrol``)."""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    PatrolAuditEvent = apps.get_model("patrol", "PatrolAuditEvent")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                polres_id=row.polres_id,
                actor_id=row.actor_id,
                action=row.action,
                target=f"hoax_claim:{row.claim_id}" if row.claim_id else "patrol",
                data=row.data,
                created_at=row.created_at,
            )
            for row in PatrolAuditEvent.objects.order_by("id").iterator()
        ),
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    PatrolAuditEvent = apps.get_model("patrol", "PatrolAuditEvent")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    moved = AuditEvent.objects.filter(aduan__isnull=True).filter(
        Q(target="patrol") | Q(target__startswith="hoax_claim:")
    )
    for row in moved.iterator():
        claim = row.target.split(":", 1)[1] if row.target.startswith("hoax_claim:") else None
        PatrolAuditEvent.objects.create(
            polres_id=row.polres_id,
            claim_id=int(claim) if claim else None,
            actor_id=row.actor_id,
            action=row.action,
            data=row.data,
            created_at=row.created_at,
        )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patrol", "0001_hoax_registry_posts_watchlists_spikes"),
        ("aduan", "0006_security_events_into_audit"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="PatrolAuditEvent"),
    ]
