from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_security_event"),
        ("aduan", "0006_security_events_into_audit"),
    ]

    operations = [migrations.DeleteModel(name="SecurityEvent")]
