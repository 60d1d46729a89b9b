"""The histograms of the metric rows become fixed-width bucket counts (``buckets.py``): one
binary column per histogram instead of a JSON object of {bucket: count} per row."""

import json
import struct

from django.db import migrations, models

GROUPS = ("fr", "rs", "rt")
CHUNK = 2000


def encode(buckets):
    """{"12": 3, …} → the count of bucket 0, 1, …, 4-byte big-endian, trailing zeros dropped."""
    counts = {int(b): n for b, n in buckets.items() if n}
    if not counts:
        return b""
    dense = [counts.get(b, 0) for b in range(max(counts) + 1)]
    return struct.pack(f">{len(dense)}i", *dense)


def decode(stored):
    stored = bytes(stored or b"")
    values = struct.unpack(f">{len(stored) // 4}i", stored)
    return {str(b): n for b, n in enumerate(values) if n}


def _convert(schema_editor, select, update, transform):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("metrics_metricrow")
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {select} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, CHUNK],
            )
            batch = cursor.fetchall()
            if not batch:
                return
            last = batch[-1][0]
            params = [(*transform(row[1:]), row[0]) for row in batch]
            cursor.executemany(f"UPDATE {table} SET {update} WHERE id = %s", params)  # noqa: S608


def to_columns(apps, schema_editor):
    def transform(row):
        hist = row[0]
        if isinstance(hist, str):  # SQLite hands JSON back as text
            hist = json.loads(hist)
        return [encode((hist or {}).get(g, {})) for g in GROUPS]

    quote = schema_editor.connection.ops.quote_name
    update = ", ".join(f"{quote(g)} = %s" for g in GROUPS)
    _convert(schema_editor, quote("hist"), update, transform)


def to_json(apps, schema_editor):
    def transform(row):
        hist = {g: decode(stored) for g, stored in zip(GROUPS, row, strict=True)}
        return [json.dumps({g: h for g, h in hist.items() if h}, sort_keys=True)]

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    select = ", ".join(quote(g) for g in GROUPS)
    _convert(schema_editor, select, f"{quote('hist')} = %s{cast}", transform)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0005_polda_rows"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="metricrow", name=g, field=models.BinaryField(default=b"")
            )
            for g in GROUPS
        ),
        migrations.RunPython(to_columns, to_json),
        migrations.RemoveField(model_name="metricrow", name="hist"),
    ]
