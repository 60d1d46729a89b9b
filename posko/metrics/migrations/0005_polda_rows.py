from collections import Counter
from typing import Any

from django.db import migrations

ROLLUP_DIMENSIONS = ("all", "category", "channel")
COUNT_FIELDS = (
    "received",
    "open",
    "responded",
    "first_met",
    "resolved",
    "resolution_met",
    "rejected",
    "redirected",
    "reopened",
    "escalated",
    "corrections",
    "csat_count",
    "csat_solved",
    "csat_rating_sum",
)


def add_polda_rows(apps, schema_editor):
    """Each Polda's rows of the dimensions every Polres shares (all, category, channel): the
    sums of its Polres's rows, as a rebuild would give them. Facts keep their signature (a
    refresh counts one without a Polda in its Polres's current Polda)."""
    Unit = apps.get_model("org", "Unit")
    MetricRow = apps.get_model("metrics", "MetricRow")
    polda_of = dict(
        Unit.objects.filter(kind="polres", parent__kind="polda").values_list("pk", "parent_id")
    )
    sums: dict[str, Any] = {}
    source = MetricRow.objects.filter(polres_id__in=list(polda_of), dimension__in=ROLLUP_DIMENSIONS)
    for row in source.iterator(chunk_size=2000):
        polda = polda_of[row.polres_id]
        restricted = int(row.restricted)
        key = f"{row.grain}|{polda}|{row.day.isoformat()}|{row.dimension}|{row.value}|{restricted}"
        target = sums.get(key)
        if target is None:
            target = sums[key] = MetricRow(
                key=key,
                polres_id=polda,
                grain=row.grain,
                day=row.day,
                dimension=row.dimension,
                value=row.value,
                restricted=row.restricted,
                hist={},
            )
        for name in COUNT_FIELDS:
            setattr(target, name, getattr(target, name) + getattr(row, name))
        for group, buckets in (row.hist or {}).items():
            merged: Counter[str] = Counter(target.hist.get(group, {}))
            merged.update(buckets)
            target.hist[group] = dict(merged)
    MetricRow.objects.bulk_create(sums.values(), batch_size=2000)


def remove_polda_rows(apps, schema_editor):
    apps.get_model("metrics", "MetricRow").objects.filter(polres__kind="polda").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0004_deadline_rows"),
    ]

    operations = [
        migrations.RunPython(add_polda_rows, remove_polda_rows),
    ]
