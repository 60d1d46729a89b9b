"""The maintained aggregates equal a full recount after a randomised stream of changes."""

from __future__ import annotations

import os
import random
import statistics
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from posko.aduan.actions import do_add_message, do_change_status, do_submit_aduan
from posko.aduan.codes import ALPHABET, LENGTH
from posko.aduan.models import Aduan, LabelCorrection, StatusChange
from posko.aduan.models.aduan import OPEN_ONLY, open_due_expression
from posko.aduan.models.choices import OPEN_STATUSES, PRIORITY_RANK, Category, Channel, Status
from posko.core.testing import run_tasks
from posko.metrics.actions.refresh import (
    do_rebuild_metrics,
    do_refresh_metrics,
    recount,
    recount_deadlines,
)
from posko.metrics.buckets import (
    MAX_BUCKET,
    N_BUCKETS,
    HistogramSums,
    add_stored,
    bucket_minutes,
    bucket_of,
    decode,
    empty_counts,
    encode,
    encode_mapping,
    quantile_minutes,
)
from posko.metrics.models import (
    COUNT_FIELDS,
    HIST_FIELDS,
    DeadlineRow,
    MetricFact,
    MetricRow,
    Satisfaction,
)
from posko.org.models import Officer, Unit, UnitKind
from posko.regions.models import Region, RegionLevel

pytestmark = [pytest.mark.django_db, pytest.mark.tasks]
STREAM_CHANGES = int(os.environ.get("POSKO_METRICS_STREAM", "10000"))


def row_state(row: MetricRow) -> tuple[Any, ...]:
    """A row's counts and its histograms (as bucket counts: the stored bytes must decode)."""
    return (
        *(getattr(row, f) for f in COUNT_FIELDS),
        *(tuple(decode(getattr(row, f))) for f in HIST_FIELDS),
        *(bytes(getattr(row, f)) for f in HIST_FIELDS),
    )


def measures_of(row: MetricRow) -> Counter[str]:
    """A row's counts and histogram buckets ("fr:12") as one Counter, to add rows up."""
    measures = Counter({f: getattr(row, f) for f in COUNT_FIELDS})
    for group in HIST_FIELDS:
        for bucket, n in enumerate(decode(getattr(row, group))):
            if n:
                measures[f"{group}:{bucket}"] = int(n)
    return measures


def table_state() -> dict[str, tuple[Any, ...]]:
    return {r.key: row_state(r) for r in MetricRow.objects.all()}


def recount_state() -> dict[str, tuple[Any, ...]]:
    rows, _facts = recount()
    return {k: row_state(r) for k, r in rows.items()}


def deadline_state() -> dict[str, int]:
    return dict(DeadlineRow.objects.values_list("key", "open"))


CHANGED_FIELDS = [
    "subject_unit",
    "subject_officer",
    "first_response_due",
    "resolution_due",
    "category",
    "status",
    "handling_unit",
    "assigned_officer",
    "first_responded_at",
    "resolved_at",
    "escalated_at",
]


def write_aduan(aduan: list[Aduan]) -> None:
    """The changed fields of many aduan in one executemany (the stream's bulk writer)."""
    fields: list[Any] = [Aduan._meta.get_field(name) for name in CHANGED_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Aduan._meta.db_table)} SET {sets} WHERE id = %s"
    params = [
        (*(f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields), a.pk)
        for a in aduan
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class Stream:
    """A randomised stream of aduan changes written in bulk, like the actions would."""

    def __init__(self, rng: random.Random, tenants: list[Unit], officers: list[Officer]) -> None:
        self.rng = rng
        self.tenants = tenants
        self.officers = officers
        self.units = {
            t.pk: list(Unit.objects.filter(parent=t).exclude(kind=UnitKind.POLRES)) for t in tenants
        }
        self.desa = {
            t.pk: list(
                Region.objects.filter(
                    level=RegionLevel.DESA,
                    code__startswith=t.region.code,  # type: ignore[union-attr]
                )[:15]
            )
            for t in tenants
        }
        self.polres_of = {o.pk: o.unit.polres.pk for o in officers}  # type: ignore[union-attr]
        self.aduan: list[Aduan] = []
        self.codes_issued = 0
        self.now = timezone.now()

    def intake(self) -> Aduan:
        polres = self.rng.choice(self.tenants)
        received = self.now - timedelta(minutes=self.rng.randrange(0, 60 * 24 * 40))
        priority = self.rng.choice(list(PRIORITY_RANK))
        units = self.units[polres.pk]
        desa = self.rng.choice([None, *self.desa[polres.pk]])
        return Aduan(
            polres=polres,
            code=self.unique_code(polres.code_prefix),
            channel=self.rng.choice(Channel.values),
            received_at=received,
            text="uji",
            desa=desa,
            category=self.rng.choice(Category.values),
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            tone="netral",
            handling_unit=self.rng.choice(units),
            polsek=self.rng.choice([None, *[u for u in units if u.kind == UnitKind.POLSEK]]),
            status=Status.BARU,
            first_response_due=received + timedelta(minutes=self.rng.choice([30, 120, 600])),
            resolution_due=received + timedelta(hours=self.rng.choice([6, 48, 200])),
        )

    def unique_code(self, prefix: str) -> str:
        """A fresh code in the real alphabet: the stream's thousands of bulk inserts skip the
        intake's retry, so random codes collided about once in 300 runs."""
        self.codes_issued += 1
        n, digits = self.codes_issued, []
        for _ in range(LENGTH):
            n, digit = divmod(n, len(ALPHABET))
            digits.append(ALPHABET[digit])
        return f"{prefix}-{''.join(digits)}"

    def later(self, aduan: Aduan) -> Any:
        return aduan.received_at + timedelta(minutes=self.rng.expovariate(1 / 300))

    def change(self, aduan: Aduan, extra: list[Any]) -> None:
        kind = self.rng.choice(
            ["assign", "status", "status", "respond", "correct", "csat", "reopen", "subject", "due"]
        )
        if kind == "subject":  # the unit or member a complaint is about
            aduan.subject_unit = self.rng.choice([None, None, *self.units[aduan.polres_id]])
            members = [o for o in self.officers if self.polres_of[o.pk] == aduan.polres_id]
            aduan.subject_officer = self.rng.choice([None, None, *members])
        elif kind == "due":  # a priority change moves both deadlines (maybe into the future)
            shift = timedelta(minutes=self.rng.randrange(-3000, 3000))
            aduan.first_response_due = self.now + shift
            aduan.resolution_due = self.now + shift + timedelta(hours=self.rng.choice([0, 5, 90]))
        elif kind == "assign":
            officer = self.rng.choice([None, *self.officers])
            same_polres = officer is not None and self.polres_of[officer.pk] == aduan.polres_id
            aduan.assigned_officer = officer if same_polres else None
            aduan.handling_unit = self.rng.choice(self.units[aduan.polres_id])
        elif kind == "respond" and aduan.first_responded_at is None:
            aduan.first_responded_at = self.later(aduan)
        elif kind == "correct":
            new = self.rng.choice(Category.values)
            extra.append(
                LabelCorrection(
                    aduan=aduan,
                    field="category",
                    old_value=aduan.category,
                    new_value=new,
                    text="uji",
                    actor=self.officers[0].user,
                )
            )
            aduan.category = new
        elif kind == "csat" and aduan.status == Status.SELESAI:
            Satisfaction.objects.update_or_create(
                aduan=aduan,
                defaults={
                    "answered_at": self.now,
                    "rating": self.rng.randint(1, 5),
                    "solved": self.rng.random() < 0.7,
                },
            )
        elif kind == "reopen" and aduan.status not in OPEN_STATUSES:
            extra.append(StatusChange(aduan=aduan, from_status=aduan.status, to_status="ditangani"))
            aduan.status, aduan.resolved_at = Status.DITANGANI, None
        else:
            self.close_or_progress(aduan)

    def close_or_progress(self, aduan: Aduan) -> None:
        if aduan.status not in OPEN_STATUSES:
            return
        target = self.rng.choice(
            [Status.DITANGANI, Status.SELESAI, Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN]
        )
        aduan.status = target
        if aduan.first_responded_at is None:
            aduan.first_responded_at = self.later(aduan)
        if target == Status.SELESAI:
            aduan.resolved_at = self.later(aduan) + timedelta(minutes=self.rng.randrange(0, 5000))
        if self.rng.random() < 0.1:
            aduan.escalated_at = self.now

    def batch(self, size: int) -> tuple[list[int], int]:
        """Apply ``size`` changes; returns the ids changed and the number of changes."""
        new = [self.intake() for _ in range(size // 4 + (0 if self.aduan else 5))]
        Aduan.objects.bulk_create(new)
        self.aduan.extend(new)
        changed = {a.pk: a for a in new}
        extra: list[Any] = []
        for _ in range(size - len(new)):
            aduan = self.rng.choice(self.aduan)
            self.change(aduan, extra)
            changed[aduan.pk] = aduan
        write_aduan(list(changed.values()))
        LabelCorrection.objects.bulk_create([e for e in extra if isinstance(e, LabelCorrection)])
        StatusChange.objects.bulk_create([e for e in extra if isinstance(e, StatusChange)])
        return list(changed), max(size, len(new))


def test_randomised_stream_of_10000_changes_equals_full_recount(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    stream = Stream(random.Random(1906), [polres, other_polres], list(officers.values()))
    changes = 0
    while changes < STREAM_CHANGES:
        ids, n = stream.batch(stream.rng.randint(1, 120))
        do_refresh_metrics(ids)
        changes += n
    maintained = table_state()
    assert maintained == recount_state()
    assert MetricFact.objects.count() == Aduan.objects.count()
    deadlines = deadline_state()
    assert deadlines == recount_deadlines()
    grains = Counter(DeadlineRow.objects.values_list("grain", flat=True))
    assert all(grains[g] > 0 for g in "hdme"), grains
    assert DeadlineRow.objects.exclude(subject="").exists()
    assert DeadlineRow.objects.filter(restricted=True).exists()
    # Every open aduan with a running deadline is in one month row per dimension; the
    # escalated ones still open in one escalated row.
    for tenant in (polres, other_polres):
        backlog = Aduan.objects.filter(OPEN_ONLY, polres=tenant)
        with_due = backlog.annotate(due=open_due_expression()).filter(due__isnull=False)
        for dimension in ("satuan", "polsek", "officer"):
            months = DeadlineRow.objects.filter(polres=tenant, grain="m", dimension=dimension)
            assert sum(r.open for r in months) == with_due.count() > 0
        escalated = DeadlineRow.objects.filter(polres=tenant, grain="e")
        assert sum(r.open for r in escalated) == backlog.filter(escalated_at__isnull=False).count()

    # Independent cross-checks straight from the aduan tables.
    all_rows = MetricRow.objects.filter(grain="d", dimension="all", polres__kind=UnitKind.POLRES)
    assert sum(r.received for r in all_rows) == Aduan.objects.count()
    by_category = dict(
        Aduan.objects.filter(status__in=OPEN_STATUSES)
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    counted: Counter[str] = Counter()
    for r in MetricRow.objects.filter(grain="m", dimension="category", polres__kind="polres"):
        counted[r.value] += r.open
    assert {k: v for k, v in counted.items() if v} == by_category
    # The Polda's rows (both tenants are its Polres) hold the sums of theirs.
    polda = polres.parent
    assert polda is not None and other_polres.parent_id == polda.pk
    for dimension in ("all", "category", "channel"):
        for grain in ("d", "m"):
            own: dict[tuple[Any, ...], Counter[str]] = {}
            for r in MetricRow.objects.filter(grain=grain, dimension=dimension, polres=polda):
                own[(r.day, r.value, r.restricted)] = measures_of(r)
            summed: dict[tuple[Any, ...], Counter[str]] = {}
            for r in MetricRow.objects.filter(
                grain=grain, dimension=dimension, polres__in=[polres, other_polres]
            ):
                summed.setdefault((r.day, r.value, r.restricted), Counter()).update(measures_of(r))
            assert own == summed and own, (dimension, grain)
    reopen_total = StatusChange.objects.filter(
        from_status__in=["selesai", "ditolak", "dialihkan"]
    ).count()
    assert sum(r.reopened for r in all_rows) == reopen_total > 0

    # The median from the buckets is the bucket of the true median.
    durations = sorted(
        a.resolved_at - a.received_at
        for a in Aduan.objects.filter(status=Status.SELESAI, polres=polres)
        if a.resolved_at is not None
    )
    hist = empty_counts()
    for r in all_rows.filter(polres=polres):
        add_stored(hist, r.rs)
    true_median = durations[(len(durations) - 1) // 2]
    assert quantile_minutes(hist, 0.5) == bucket_minutes(bucket_of(true_median))

    # Rebuilding from scratch gives the same tables.
    do_rebuild_metrics()
    assert table_state() == maintained
    assert deadline_state() == deadlines


def test_buckets_and_quantiles() -> None:
    assert bucket_of(timedelta(seconds=30)) == 0
    assert bucket_of(timedelta(minutes=1)) == 1
    assert bucket_of(timedelta(minutes=100)) > bucket_of(timedelta(minutes=60))
    stored = encode_mapping({bucket_of(timedelta(minutes=m)): 1 for m in (10, 20, 40, 80, 160)})
    hist = decode(stored)
    median = quantile_minutes(hist, 0.5)
    assert median is not None and 30 < median < 50
    p90 = quantile_minutes(hist, 0.9)
    assert p90 is not None and 130 < p90 < 190
    assert quantile_minutes(empty_counts(), 0.5) is None
    assert quantile_minutes(None, 0.5) is None
    # Fixed width: 4 bytes per bucket up to the last one used, big-endian (PostgreSQL's
    # int4send); equal histograms are equal bytes, an empty one is b"".
    assert len(stored) == 4 * (bucket_of(timedelta(minutes=160)) + 1)
    assert stored[-4:] == (1).to_bytes(4, "big")
    assert encode(empty_counts()) == b"" and encode(decode(stored)) == stored
    twice = empty_counts()
    add_stored(twice, stored)
    add_stored(twice, memoryview(stored))  # as PostgreSQL's driver returns it
    assert twice.sum() == 10 and quantile_minutes(twice, 0.5) == median
    assert statistics.median([10, 20, 40]) == 20


def test_histogram_sums_equal_adding_each_row() -> None:
    """The batched merge (one join, one bincount) gives what decoding and adding every stored
    histogram one by one gives, for histograms of every length, empty ones and memoryviews."""
    rng = random.Random(12)
    targets = 7
    expected = [empty_counts() for _ in range(targets)]
    batched = HistogramSums()
    for _ in range(400):
        counts = empty_counts()
        for _ in range(rng.randint(0, 6)):
            counts[rng.choice([0, 1, rng.randint(0, MAX_BUCKET), MAX_BUCKET])] += rng.randint(1, 9)
        target, stored = rng.randrange(targets), encode(counts)
        add_stored(expected[target], stored)
        batched.add(target, memoryview(stored) if rng.random() < 0.5 else stored)
    sums = batched.sums(targets)
    assert sums.shape == (targets, N_BUCKETS)
    assert [list(row) for row in sums] == [list(row) for row in expected]
    assert HistogramSums().sums(2).sum() == 0


@pytest.mark.django_db(transaction=True)
def test_actions_drive_the_metrics_through_the_event_seam_and_a_task(
    polres: Unit, officers: dict[str, Officer], django_capture_on_commit_callbacks: Any
) -> None:
    user = officers["operator"].user
    with django_capture_on_commit_callbacks(execute=True):
        aduan = do_submit_aduan(polres, text="Motor saya dicuri di pasar Manggar", channel="web")
    assert not MetricRow.objects.exists()  # nothing until the task runs
    run_tasks()
    total = MetricRow.objects.get(polres=polres, grain="m", dimension="all")
    assert (total.received, total.open, total.responded) == (1, 1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        do_add_message(aduan, "Sedang kami tindak lanjuti.", public=True, acting_user=user)
        do_change_status(aduan, Status.DITANGANI, acting_user=user)
        do_change_status(aduan, Status.SELESAI, acting_user=user)
        do_change_status(aduan, Status.DITANGANI, reason="Belum beres", acting_user=user)
        do_change_status(aduan, Status.SELESAI, acting_user=user)
    run_tasks()
    total.refresh_from_db()
    assert (total.open, total.responded, total.resolved, total.reopened) == (0, 1, 1, 1)
    assert decode(total.fr).sum() == 1 and decode(total.rs).sum() == 1
    assert table_state() == recount_state()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_fires_nothing(
    polres: Unit, officers: dict[str, Officer], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError),
    ):
        do_submit_aduan(polres, text="   ", channel="web")
    assert callbacks == []
    run_tasks()
    assert not MetricRow.objects.exists()
