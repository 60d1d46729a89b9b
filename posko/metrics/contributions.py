"""What one aduan contributes to the aggregate rows, from its current state."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q

from posko.aduan.models import Aduan, LabelCorrection, StatusChange
from posko.aduan.models.choices import CLOSED_STATUSES, OPEN_STATUSES, RESTRICTED_CATEGORIES, Status
from posko.metrics.buckets import bucket_of
from posko.metrics.models import (
    DAY,
    DEADLINE_DAY,
    DEADLINE_DIMENSIONS,
    DEADLINE_MONTH,
    DIMENSIONS,
    ESCALATED,
    HOUR,
    MONTH,
    ROLLUP_DIMENSIONS,
)
from posko.org.models import Unit, UnitKind

ADUAN_FIELDS = (
    "pk",
    "polres_id",
    "received_at",
    "category",
    "channel",
    "polsek_id",
    "handling_unit_id",
    "desa_id",
    "assigned_officer_id",
    "status",
    "first_response_due",
    "resolution_due",
    "first_responded_at",
    "resolved_at",
    "escalated_at",
    "subject_unit_id",
    "subject_officer_id",
)
# The start of the ``ESCALATED`` rows (they are not about a time).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Contribution:
    polres_id: int
    # [polres id, day, restricted "0"/"1", the value of each dimension, then the Polda id or
    # ""]: compact to store in ``MetricFact``; ``keys_of`` expands it to the row keys.
    signature: list[str]
    measures: dict[str, int]
    # Its ``DeadlineRow`` signature while open (``deadline_signature``), else [].
    due: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return keys_of(self.signature)


def keys_of(signature: list[str]) -> list[str]:
    """The row keys (both grains, every dimension) of a contribution's signature."""
    if not signature:
        return []
    polres_id, day_iso, restricted, *rest = signature
    values, polda = rest[: len(DIMENSIONS)], rest[len(DIMENSIONS) :]  # no Polda: older facts
    day = date.fromisoformat(day_iso)
    month = day.replace(day=1)
    keys = [
        row_key(grain, int(polres_id), when, d, value, restricted == "1")
        for grain, when in ((DAY, day), (MONTH, month))
        for d, value in zip(DIMENSIONS, values, strict=True)
    ]
    if polda and polda[0]:
        by_dimension = dict(zip(DIMENSIONS, values, strict=True))
        keys += [
            row_key(grain, int(polda[0]), when, d, by_dimension[d], restricted == "1")
            for grain, when in ((DAY, day), (MONTH, month))
            for d in ROLLUP_DIMENSIONS
        ]
    return keys


def row_key(
    grain: str, polres_id: int, day: date, dimension: str, value: str, restricted: bool
) -> str:
    return f"{grain}|{polres_id}|{day.isoformat()}|{dimension}|{value}|{int(restricted)}"


def parse_key(key: str) -> tuple[str, int, date, str, str, bool]:
    grain, polres, day, dimension, value, restricted = key.split("|")
    return grain, int(polres), date.fromisoformat(day), dimension, value, restricted == "1"


def deadline_key(
    grain: str,
    polres_id: int,
    start: datetime,
    dimension: str,
    value: str,
    restricted: bool,
    subject: str,
) -> str:
    return (
        f"{grain}|{polres_id}|{start.isoformat()}|{dimension}|{value}|{int(restricted)}|{subject}"
    )


def parse_deadline_key(key: str) -> tuple[str, int, datetime, str, str, bool, str]:
    grain, polres, start, dimension, value, restricted, subject = key.split("|")
    return (
        grain,
        int(polres),
        datetime.fromisoformat(start),
        dimension,
        value,
        restricted == "1",
        subject,
    )


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def deadline_starts(hour: datetime) -> tuple[tuple[str, datetime], ...]:
    """The hour, day and month (UTC) a deadline hour lies in."""
    day = hour.replace(hour=0)
    return ((HOUR, hour), (DEADLINE_DAY, day), (DEADLINE_MONTH, day.replace(day=1)))


def deadline_signature(row: dict[str, Any]) -> list[str]:
    """[polres id, deadline hour (or ""), escalated, restricted, subject, satuan, Polsek,
    officer] of an open aduan with a running deadline or escalated; [] otherwise. The
    deadline is ``open_due_expression``'s: first response until answered, then resolution."""
    if row["status"] not in OPEN_STATUSES:
        return []
    due = row["first_response_due"] if row["first_responded_at"] is None else row["resolution_due"]
    escalated = row["escalated_at"] is not None
    if due is None and not escalated:
        return []
    unit, officer = row["subject_unit_id"], row["subject_officer_id"]
    subject = "" if unit is None and officer is None else f"{unit or ''}/{officer or ''}"
    values = _dimension_values(row)
    return [
        str(row["polres_id"]),
        "" if due is None else hour_of(due).isoformat(),
        str(int(escalated)),
        str(int(row["category"] in RESTRICTED_CATEGORIES)),
        subject,
        *(values[d] for d in DEADLINE_DIMENSIONS),
    ]


def deadline_keys_of(signature: list[str]) -> list[str]:
    """The ``DeadlineRow`` keys of a deadline signature (each counts the aduan once)."""
    if not signature:
        return []
    polres_id, due, escalated, restricted, subject, *values = signature
    keys: list[str] = []
    if due:
        for grain, start in deadline_starts(datetime.fromisoformat(due)):
            keys.extend(
                deadline_key(grain, int(polres_id), start, d, v, restricted == "1", subject)
                for d, v in zip(DEADLINE_DIMENSIONS, values, strict=True)
            )
    if escalated == "1":
        keys.append(
            deadline_key(ESCALATED, int(polres_id), EPOCH, "all", "", restricted == "1", subject)
        )
    return keys


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _dimension_values(row: dict[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "all": "",
        "polsek": text(row["polsek_id"]),
        "satuan": text(row["handling_unit_id"]),
        "category": row["category"],
        "channel": row["channel"],
        "desa": text(row["desa_id"]),
        "officer": text(row["assigned_officer_id"]),
    }


def _timing_measures(row: dict[str, Any], m: Counter[str]) -> None:
    received: datetime = row["received_at"]
    responded = row["first_responded_at"]
    if responded is not None:
        m["responded"] = 1
        m[f"fr:{bucket_of(max(responded - received, timedelta(0)))}"] = 1
        due = row["first_response_due"]
        m["first_met"] = int(due is None or responded <= due)
    if row["status"] == Status.SELESAI and row["resolved_at"] is not None:
        resolved = row["resolved_at"]
        m["resolved"] = 1
        m[f"rs:{bucket_of(max(resolved - received, timedelta(0)))}"] = 1
        due = row["resolution_due"]
        m["resolution_met"] = int(due is None or resolved <= due)


def contribution(
    row: dict[str, Any], *, reopened: int, corrections: int, rating: int | None, solved: bool | None
) -> Contribution:
    m: Counter[str] = Counter(received=1)
    status = row["status"]
    m["open"] = int(status in OPEN_STATUSES)
    m["rejected"] = int(status == Status.DITOLAK)
    m["redirected"] = int(status == Status.DIALIHKAN)
    m["reopened"] = reopened
    m["corrections"] = corrections
    m["escalated"] = int(row["escalated_at"] is not None)
    _timing_measures(row, m)
    if rating is not None:
        m["csat_count"] = 1
        m["csat_solved"] = int(bool(solved))
        m["csat_rating_sum"] = rating
        m[f"rt:{rating}"] = 1
    day = local_day(row["received_at"])
    restricted = row["category"] in RESTRICTED_CATEGORIES
    values = _dimension_values(row)
    polda = row.get("polda_id")
    signature = [
        str(row["polres_id"]),
        day.isoformat(),
        str(int(restricted)),
        *(values[d] for d in DIMENSIONS),
        "" if polda is None else str(polda),
    ]
    return Contribution(
        row["polres_id"],
        signature,
        {k: v for k, v in m.items() if v},
        deadline_signature(row),
    )


def contributions(where: Q) -> dict[int, Contribution]:
    """The contribution of every aduan matching ``where`` (one query per source table)."""
    from posko.metrics.models import Satisfaction

    rows = list(Aduan.objects.filter(where).values(*ADUAN_FIELDS))
    if not rows:
        return {}
    ids = [r["pk"] for r in rows]
    polda_of = dict(
        Unit.objects.filter(
            pk__in={r["polres_id"] for r in rows}, parent__kind=UnitKind.POLDA
        ).values_list("pk", "parent_id")
    )
    reopened = dict(
        StatusChange.objects.filter(
            aduan_id__in=ids, from_status__in=CLOSED_STATUSES, to_status__in=OPEN_STATUSES
        )
        .values("aduan_id")
        .annotate(n=Count("pk"))
        .values_list("aduan_id", "n")
    )
    corrections = dict(
        LabelCorrection.objects.filter(aduan_id__in=ids)
        .values("aduan_id")
        .annotate(n=Count("pk"))
        .values_list("aduan_id", "n")
    )
    answers = {
        a: (rating, solved)
        for a, rating, solved in Satisfaction.objects.filter(
            aduan_id__in=ids, answered_at__isnull=False
        ).values_list("aduan_id", "rating", "solved")
    }
    result = {}
    for row in rows:
        row["polda_id"] = polda_of.get(row["polres_id"])
        rating, solved = answers.get(row["pk"], (None, None))
        result[row["pk"]] = contribution(
            row,
            reopened=reopened.get(row["pk"], 0),
            corrections=corrections.get(row["pk"], 0),
            rating=rating,
            solved=solved,
        )
    return result
