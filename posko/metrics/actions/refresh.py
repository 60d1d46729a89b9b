"""Maintaining the aggregate rows: incremental refresh of changed aduan, and full rebuild."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import Max, Min, Q

from posko.aduan.models import Aduan
from posko.aduan.models.aduan import OPEN_ONLY
from posko.metrics.buckets import Counts, decode, encode
from posko.metrics.contributions import (
    ADUAN_FIELDS,
    contributions,
    deadline_keys_of,
    deadline_signature,
    keys_of,
    parse_deadline_key,
    parse_key,
)
from posko.metrics.models import (
    COUNT_FIELDS,
    DIMENSIONS,
    HIST_FIELDS,
    DeadlineRow,
    MetricFact,
    MetricRow,
)
from posko.org.models import Unit, UnitKind

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
        fr=b"",
        rs=b"",
        rt=b"",
    )


def _add_into(row: MetricRow, measures: Mapping[str, int]) -> None:
    """Add measures to a row: counts by name, histogram buckets as ``"fr:12"`` (each
    histogram decoded and encoded once)."""
    histograms: dict[str, Counts] = {}
    for name, n in measures.items():
        if ":" in name:
            group, bucket = name.split(":", 1)
            counts = histograms.get(group)
            if counts is None:
                counts = histograms[group] = decode(getattr(row, group))
            counts[int(bucket)] += n
        else:
            setattr(row, name, getattr(row, name) + n)
    for group, counts in histograms.items():
        setattr(row, group, encode(counts))


def _is_empty(row: MetricRow) -> bool:
    return not any(getattr(row, f) for f in (*COUNT_FIELDS, *HIST_FIELDS))


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
    fields = (*COUNT_FIELDS, *HIST_FIELDS)
    sets = ", ".join(f"{quote(f)} = %s" for f in fields)
    table, pk = quote(MetricRow._meta.db_table), quote("id")
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
    params = [(*(getattr(r, f) for f in fields), r.pk) for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _empty_deadline_row(key: str) -> DeadlineRow:
    grain, polres_id, start, dimension, value, restricted, subject = parse_deadline_key(key)
    return DeadlineRow(
        key=key,
        grain=grain,
        polres_id=polres_id,
        start=start,
        dimension=dimension,
        value=value,
        restricted=restricted,
        subject=subject,
    )


def _apply_deadline_deltas(deltas: Counter[str]) -> None:
    """Add the changes of open aduan per deadline row (locked in key order, as the rows
    above; a row back at zero is deleted)."""
    deltas = Counter({k: n for k, n in deltas.items() if n})
    if not deltas:
        return
    keys = sorted(deltas)
    existing = set(DeadlineRow.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = [k for k in keys if k not in existing]
    if missing:
        DeadlineRow.objects.bulk_create(
            [_empty_deadline_row(k) for k in missing], ignore_conflicts=True
        )
    rows = list(DeadlineRow.objects.select_for_update().filter(key__in=keys).order_by("key"))
    for row in rows:
        row.open += deltas[row.key]
    DeadlineRow.objects.filter(pk__in=[r.pk for r in rows if r.open == 0]).delete()
    kept = [(r.open, r.pk) for r in rows if r.open != 0]
    if kept:
        quote = connection.ops.quote_name
        table = quote(DeadlineRow._meta.db_table)
        sql = f"UPDATE {table} SET {quote('open')} = %s WHERE {quote('id')} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, kept)


def _write_facts(facts: list[MetricFact]) -> None:
    """The new signatures and measures of locked facts (one executemany)."""
    if not facts:
        return
    quote = connection.ops.quote_name
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    table, keys, measures = quote(MetricFact._meta.db_table), quote("keys"), quote("measures")
    due = quote("due")
    sql = (
        f"UPDATE {table} SET {keys} = %s{cast}, {measures} = %s{cast}, {due} = %s{cast} "  # noqa: S608
        "WHERE aduan_id = %s"
    )
    params = [
        (json.dumps(f.keys), json.dumps(f.measures), json.dumps(f.due), f.aduan_id) for f in facts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _collect(
    deltas: dict[str, Counter[str]], keys: Iterable[str], measures: dict[str, int], sign: int
) -> None:
    for key in keys:
        target = deltas[key]
        for name, n in measures.items():
            target[name] += sign * n


def _with_polda(facts: Iterable[MetricFact]) -> None:
    """Facts written before the Polda rows existed have no Polda in their signature; the
    migration that added those rows counted them in their Polres's current Polda, so their
    subtraction does too."""
    legacy = [f for f in facts if f.keys and len(f.keys) == 3 + len(DIMENSIONS)]
    if not legacy:
        return
    polda_of = dict(
        Unit.objects.filter(
            pk__in={int(f.keys[0]) for f in legacy}, parent__kind=UnitKind.POLDA
        ).values_list("pk", "parent_id")
    )
    for fact in legacy:
        polda = polda_of.get(int(fact.keys[0]))
        fact.keys = [*fact.keys, "" if polda is None else str(polda)]


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
        _with_polda(facts.values())
        current = contributions(Q(pk__in=ids))
        deltas: dict[str, Counter[str]] = defaultdict(Counter)
        due: Counter[str] = Counter()
        for aduan_id in ids:
            fact = facts[aduan_id]
            _collect(deltas, keys_of(fact.keys), fact.measures, -1)
            due.subtract(deadline_keys_of(fact.due))
            new = current.get(aduan_id)
            if new is not None:
                _collect(deltas, new.keys, new.measures, +1)
                due.update(deadline_keys_of(new.due))
                fact.keys, fact.measures, fact.due = new.signature, new.measures, new.due
        touched = _apply_deltas(deltas)
        _apply_deadline_deltas(due)
        _write_facts([facts[i] for i in ids if i in current])
        MetricFact.objects.filter(aduan_id__in=[i for i in ids if i not in current]).delete()
    return touched


def recount(where: Q | None = None) -> tuple[dict[str, MetricRow], list[MetricFact]]:
    """Compute every row (and fact) from scratch, in memory, in chunks of aduan ids."""
    where = where or Q()
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    facts: list[MetricFact] = []
    bounds = Aduan.objects.filter(where).aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return {}, facts
    for start in range(bounds["lo"], bounds["hi"] + 1, CHUNK):
        chunk = contributions(where & Q(pk__gte=start, pk__lt=start + CHUNK))
        for aduan_id, c in chunk.items():
            _collect(sums, c.keys, c.measures, +1)
            facts.append(
                MetricFact(aduan_id=aduan_id, keys=c.signature, measures=c.measures, due=c.due)
            )
    rows: dict[str, MetricRow] = {}
    for key, measures in sums.items():
        row = rows[key] = _empty_row(key)
        _add_into(row, measures)
    return rows, facts


def recount_deadlines(where: Q | None = None) -> dict[str, int]:
    """The ``DeadlineRow`` counts from scratch: {key: open aduan}. Only open aduan count, so
    this reads the open backlog alone (the partial indexes' condition)."""
    counts: Counter[str] = Counter()
    fields = [f for f in ADUAN_FIELDS if f != "pk"]
    for row in Aduan.objects.filter(OPEN_ONLY & (where or Q())).values(*fields).iterator(CHUNK):
        counts.update(deadline_keys_of(deadline_signature(row)))
    return {k: n for k, n in counts.items() if n}


def do_rebuild_deadlines() -> int:
    """Drop and recompute the deadline rows alone (the facts keep their ``due``: it is what
    ``recount`` gives them). Returns the number of rows."""
    counts = recount_deadlines()
    with transaction.atomic():
        DeadlineRow.objects.all().delete()
        rows = []
        for key, n in counts.items():
            row = _empty_deadline_row(key)
            row.open = n
            rows.append(row)
        DeadlineRow.objects.bulk_create(rows, batch_size=2000)
    return len(counts)


def do_rebuild_metrics() -> tuple[int, int]:
    """Drop every row and fact and recompute them from the aduan tables.
    Returns (rows, aduan)."""
    rows, facts = recount()
    with transaction.atomic():
        MetricRow.objects.all().delete()
        MetricFact.objects.all().delete()
        MetricRow.objects.bulk_create(rows.values(), batch_size=2000)
        MetricFact.objects.bulk_create(facts, batch_size=2000)
        do_rebuild_deadlines()
    return len(rows), len(facts)
