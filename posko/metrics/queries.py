"""Reading the metrics layer: sums per dimension value or per month over a day range, with
median/p90 from the merged duration histograms. Cost depends on days × dimension values, never
on the number of aduan."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from posko.metrics.buckets import quantile_minutes
from posko.metrics.models import COUNT_FIELDS, MetricRow

SMALL = 5  # counts below this are suppressed on public pages


@dataclass
class Figures:
    value: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    fr: Counter[str] = field(default_factory=Counter)
    rs: Counter[str] = field(default_factory=Counter)
    rt: Counter[str] = field(default_factory=Counter)
    label: str = ""
    restricted: bool = False
    overdue: int = 0

    def __getattr__(self, name: str) -> int:
        if name in COUNT_FIELDS:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    def add_hist(self, hist: dict[str, dict[str, int]]) -> None:
        self.fr.update(hist.get("fr", {}))
        self.rs.update(hist.get("rs", {}))
        self.rt.update(hist.get("rt", {}))

    @property
    def first_median(self) -> float | None:
        return quantile_minutes(self.fr, 0.5)

    @property
    def first_p90(self) -> float | None:
        return quantile_minutes(self.fr, 0.9)

    @property
    def resolution_median(self) -> float | None:
        return quantile_minutes(self.rs, 0.5)

    @property
    def resolution_p90(self) -> float | None:
        return quantile_minutes(self.rs, 0.9)

    @property
    def first_met_pct(self) -> float | None:
        return _pct(self.counts.get("first_met", 0), self.counts.get("responded", 0))

    @property
    def resolution_met_pct(self) -> float | None:
        return _pct(self.counts.get("resolution_met", 0), self.counts.get("resolved", 0))

    @property
    def resolved_pct(self) -> float | None:
        return _pct(self.counts.get("resolved", 0), self.counts.get("received", 0))

    @property
    def csat_avg(self) -> float | None:
        n = self.counts.get("csat_count", 0)
        return round(self.counts.get("csat_rating_sum", 0) / n, 1) if n else None

    @property
    def csat_solved_pct(self) -> float | None:
        return _pct(self.counts.get("csat_solved", 0), self.counts.get("csat_count", 0))


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rows(
    polres_ids: Iterable[int], start: date, end: date, dimension: str, *, restricted: bool | None
) -> QuerySet[MetricRow]:
    """Rows of one dimension in [start, end]; ``restricted``: True/False filters, None = all."""
    qs = MetricRow.objects.filter(
        polres_id__in=list(polres_ids), dimension=dimension, day__gte=start, day__lte=end
    )
    if restricted is not None:
        qs = qs.filter(restricted=restricted)
    return qs


SUMS = {f: Sum(f) for f in COUNT_FIELDS}


def breakdown(
    polres_ids: Iterable[int],
    start: date,
    end: date,
    dimension: str,
    *,
    restricted: bool | None = False,
    with_hist: bool = True,
    extra: Q | None = None,
) -> dict[str, Figures]:
    """Figures per value of ``dimension`` (``all`` gives one entry, key "")."""
    qs = rows(polres_ids, start, end, dimension, restricted=restricted)
    if extra is not None:
        qs = qs.filter(extra)
    result: dict[str, Figures] = {}
    for item in qs.values("value").annotate(**{f"s_{k}": v for k, v in SUMS.items()}):
        counts = {f: item[f"s_{f}"] or 0 for f in COUNT_FIELDS}
        result[item["value"]] = Figures(value=item["value"], counts=counts)
    if with_hist:
        for value, hist in qs.values_list("value", "hist"):
            if hist:
                result[value].add_hist(hist)
    return result


def total(
    polres_ids: Iterable[int], start: date, end: date, *, restricted: bool | None = False
) -> Figures:
    return breakdown(polres_ids, start, end, "all", restricted=restricted).get("", Figures())


def monthly(
    polres_ids: Iterable[int], start: date, end: date, *, restricted: bool | None = False
) -> list[Figures]:
    """One ``Figures`` per month (value = "YYYY-MM"), oldest first."""
    qs = rows(polres_ids, start, end, "all", restricted=restricted)
    months: dict[str, Figures] = {}
    for item in (
        qs.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**{f"s_{k}": v for k, v in SUMS.items()})
        .order_by("month")
    ):
        key = item["month"].strftime("%Y-%m")
        months[key] = Figures(value=key, counts={f: item[f"s_{f}"] or 0 for f in COUNT_FIELDS})
    hists: dict[str, list[Any]] = defaultdict(list)
    for day, hist in qs.values_list("day", "hist"):
        if hist:
            hists[day.strftime("%Y-%m")].append(hist)
    for key, items in hists.items():
        for hist in items:
            months[key].add_hist(hist)
    return list(months.values())


def by_polres(polres_ids: Iterable[int], start: date, end: date) -> dict[int, Figures]:
    """One ``Figures`` per Polres (the roll-up comparison of a Polda or Mabes)."""
    qs = MetricRow.objects.filter(
        polres_id__in=list(polres_ids), dimension="all", day__gte=start, day__lte=end
    )
    result: dict[int, Figures] = {}
    for item in qs.values("polres_id").annotate(**{f"s_{k}": v for k, v in SUMS.items()}):
        counts = {f: item[f"s_{f}"] or 0 for f in COUNT_FIELDS}
        result[item["polres_id"]] = Figures(value=str(item["polres_id"]), counts=counts)
    for polres_id, hist in qs.values_list("polres_id", "hist"):
        if hist:
            result[polres_id].add_hist(hist)
    return result
