"""Logins and second-factor events move from ``core.SecurityEvent`` into the one audit trail
(target ``login:<username>``, the Polres of the officer when the account is one)."""

from django.db import migrations


def _polres_of(unit):  # historical models have no methods
    while unit is not None and unit.kind != "polres":
        unit = unit.parent
    return unit


def forwards(apps, schema_editor):
    SecurityEvent = apps.get_model("core", "SecurityEvent")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    Officer = apps.get_model("org", "Officer")
    units = {o.user_id: o.unit for o in Officer.objects.select_related("unit")}
    rows = []
    for event in SecurityEvent.objects.order_by("id").iterator():
        unit = units.get(event.user_id)
        rows.append(
            AuditEvent(
                polres=_polres_of(unit) if unit is not None else None,
                actor_id=event.user_id,
                action=event.kind,
                target=f"login:{event.username}"[:80],
                data={**event.data, "username": event.username, "address": event.address},
                created_at=event.created_at,
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    SecurityEvent = apps.get_model("core", "SecurityEvent")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    moved = AuditEvent.objects.filter(aduan__isnull=True, target__startswith="login:")
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=row.action,
            user_id=row.actor_id,
            username=row.data.get("username", ""),
            address=row.data.get("address", ""),
            data={k: v for k, v in row.data.items() if k not in ("username", "address")},
            created_at=row.created_at,
        )
        for row in moved.iterator()
    )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aduan", "0005_inbox_indexes"),
        ("core", "0001_security_event"),
        ("org", "0001_initial_organisation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
