"""Official-account history moves into the one audit trail (aduan.AuditEvent, with the
Polres and target ``channel_account:<id>``); the separate AccountChange table goes."""

from typing import Any

from django.db import migrations

KINDS = {
    "created": "channel_account_created",
    "updated": "channel_account_updated",
    "enabled": "channel_account_enabled",
    "disabled": "channel_account_disabled",
}


def copy_history(apps: Any, schema_editor: Any) -> None:
    AccountChange = apps.get_model("channels", "AccountChange")
    AuditEvent = apps.get_model("aduan", "AuditEvent")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            polres_id=change.account.polres_id,
            target=f"channel_account:{change.account_id}",
            actor_id=change.actor_id,
            action=KINDS.get(change.action, "channel_account_updated"),
            data={"name": change.account.name, **(change.data or {})},
            created_at=change.created_at,
        )
        for change in AccountChange.objects.select_related("account").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0004_media_position"),
        ("aduan", "0003_audit_event_for_configuration"),
    ]

    operations = [
        migrations.RunPython(copy_history, migrations.RunPython.noop),
        migrations.DeleteModel(name="AccountChange"),
    ]
