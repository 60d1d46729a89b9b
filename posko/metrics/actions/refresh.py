"""Maintaining the aggregate rows: incremental refresh of changed aduan, and full rebuild."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max, Min, Q

from posko.aduan.models import Aduan
from posko.metrics.contributions import Contribution, contributions, keys_of, parse_key
from posko.metrics.models import COUNT_FIELDS, MetricFact, MetricRow

CHUNK = 2000


def _empty_row(key: str) -> MetricRow:
    grain, polres_id, day, dimension, value, restricted = parse_key(key)
    return MetricRow(
        key=key,
        grain=grain,
        polres_id=polres_id,
        day=day,
        dimension=dimension,
        value=value,
        restricted=restricted,
        hist={},
    )


def _add_into(row: MetricRow, measures: Counter[str]) -> None:
    hist: dict[str, dict[str, int]] = row.hist or {}
    for name, n in measures.items():
        if ":" in name:
            group, bucket = name.split(":", 1)
            target = hist.setdefault(group, {})
            target[bucket] = target.get(bucket, 0) + n
            if target[bucket] == 0:
                del target[bucket]
            if not target:
                del hist[group]
        else:
            setattr(row, name, getattr(row, name) + n)
    row.hist = hist


def _is_empty(row: MetricRow) -> bool:
    return not row.hist and all(getattr(row, f) == 0 for f in COUNT_FIELDS)


def _apply_deltas(deltas: dict[str, Counter[str]]) -> int:
    deltas = {k: d for k, d in deltas.items() if any(d.values())}
    if not deltas:
        return 0
    keys = sorted(deltas)
    existing = set(MetricRow.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = [k for k in keys if k not in existing]
    if missing:  # a concurrent creator makes ours a no-op; the lock below then waits for it
        MetricRow.objects.bulk_create([_empty_row(k) for k in missing], ignore_conflicts=True)
    rows = list(MetricRow.objects.select_for_update().filter(key__in=keys).order_by("key"))
    for row in rows:
        _add_into(row, deltas[row.key])
    empty = [r.pk for r in rows if _is_empty(r)]
    _write_rows([r for r in rows if not _is_empty(r)])
    MetricRow.objects.filter(pk__in=empty).delete()
    return len(rows)


def _write_rows(rows: list[MetricRow]) -> None:
    """One parametrised UPDATE executed for every row (executemany): the rows are locked by
    the caller; much cheaper than a save() or bulk_update() CASE per row and column."""
    if not rows:
        return
    quote = connection.ops.quote_name
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    sets = ", ".join(f"{quote(f)} = %s" for f in COUNT_FIELDS)
    table, hist, pk = quote(MetricRow._meta.db_table), quote("hist"), quote("id")
    sql = f"UPDATE {table} SET {sets}, {hist} = %s{cast} WHERE {pk} = %s"  # noqa: S608
    params = [
        (*(getattr(r, f) for f in COUNT_FIELDS), json.dumps(r.hist, sort_keys=True), r.pk)
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _write_facts(facts: list[MetricFact]) -> None:
    """The new signatures and measures of locked facts (one executemany)."""
    if not facts:
        return
    quote = connection.ops.quote_name
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    table, keys, measures = quote(MetricFact._meta.db_table), quote("keys"), quote("measures")
    sql = f"UPDATE {table} SET {keys} = %s{cast}, {measures} = %s{cast} WHERE aduan_id = %s"  # noqa: S608
    params = [(json.dumps(f.keys), json.dumps(f.measures), f.aduan_id) for f in facts]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _collect(
    deltas: dict[str, Counter[str]], keys: Iterable[str], measures: dict[str, int], sign: int
) -> None:
    for key in keys:
        target = deltas[key]
        for name, n in measures.items():
            target[name] += sign * n


def do_refresh_metrics(aduan_ids: Iterable[int]) -> int:
    """Replace the contribution of each aduan (subtract the remembered one, add the current
    one) in one transaction. Idempotent; concurrent refreshes of one aduan serialise on its
    fact row. Returns the number of rows touched."""
    ids = sorted(set(aduan_ids))
    if not ids:
        return 0
    with transaction.atomic():
        MetricFact.objects.bulk_create([MetricFact(aduan_id=i) for i in ids], ignore_conflicts=True)
        facts = {
            f.aduan_id: f
            for f in MetricFact.objects.select_for_update().filter(aduan_id__in=ids).order_by("pk")
        }
        current = contributions(Q(pk__in=ids))
        deltas: dict[str, Counter[str]] = defaultdict(Counter)
        for aduan_id in ids:
            fact = facts[aduan_id]
            _collect(deltas, keys_of(fact.keys), fact.measures, -1)
            new = current.get(aduan_id)
            if new is not None:
                _collect(deltas, new.keys, new.measures, +1)
                fact.keys, fact.measures = new.signature, new.measures
        touched = _apply_deltas(deltas)
        _write_facts([facts[i] for i in ids if i in current])
        MetricFact.objects.filter(aduan_id__in=[i for i in ids if i not in current]).delete()
    return touched


def _accumulate(rows: dict[str, MetricRow], c: Contribution) -> None:
    measures = Counter(c.measures)
    for key in c.keys:
        row = rows.get(key)
        if row is None:
            row = rows[key] = _empty_row(key)
        _add_into(row, measures)


def recount(where: Q | None = None) -> tuple[dict[str, MetricRow], list[MetricFact]]:
    """Compute every row (and fact) from scratch, in memory, in chunks of aduan ids."""
    where = where or Q()
    rows: dict[str, MetricRow] = {}
    facts: list[MetricFact] = []
    bounds = Aduan.objects.filter(where).aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return rows, facts
    for start in range(bounds["lo"], bounds["hi"] + 1, CHUNK):
        chunk = contributions(where & Q(pk__gte=start, pk__lt=start + CHUNK))
        for aduan_id, c in chunk.items():
            _accumulate(rows, c)
            facts.append(MetricFact(aduan_id=aduan_id, keys=c.signature, measures=c.measures))
    return rows, facts


def do_rebuild_metrics() -> tuple[int, int]:
    """Drop every row and fact and recompute them from the aduan tables.
    Returns (rows, aduan)."""
    rows, facts = recount()
    with transaction.atomic():
        MetricRow.objects.all().delete()
        MetricFact.objects.all().delete()
        MetricRow.objects.bulk_create(rows.values(), batch_size=2000)
        MetricFact.objects.bulk_create(facts, batch_size=2000)
    return len(rows), len(facts)
