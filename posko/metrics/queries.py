"""Reading the metrics layer: sums per dimension value or per month over a day range, with
median/p90 from the merged duration histograms. Cost depends on days × dimension values, never
on the number of aduan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet, Sum

from posko.metrics.buckets import (
    N_BUCKETS,
    Counts,
    HistogramSums,
    bucket_minutes,
    quantile_minutes,
)
from posko.metrics.models import COUNT_FIELDS, DAY, MONTH, ROLLUP_DIMENSIONS, MetricRow

SMALL = 5  # counts below this are suppressed on public pages


@dataclass
class Figures:
    value: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    # First-response and resolution duration buckets; None until a row with some is added
    # (a roll-up's rows listed without histograms carry none).
    fr: Counts | None = None
    rs: Counts | None = None
    label: str = ""
    restricted: bool = False
    overdue: int = 0
    # (first median, first p90, resolution median, resolution p90) once ``settle`` has
    # computed them from the histograms (then dropped: a settled row is final).
    quantiles: tuple[float | None, ...] | None = None

    def __getattr__(self, name: str) -> int:
        if name in COUNT_FIELDS:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    def add_figures(self, other: Figures) -> None:
        """Add another ``Figures``'s counts and histograms."""
        if self.quantiles is not None or other.quantiles is not None:
            raise ValueError("a settled row is final (its histograms were dropped)")
        for name, n in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        for name in ("fr", "rs"):
            theirs = getattr(other, name)
            if theirs is not None:
                mine = getattr(self, name)
                setattr(self, name, theirs.copy() if mine is None else mine + theirs)

    def _quantile(self, i: int) -> float | None:
        if self.quantiles is not None:
            return self.quantiles[i]
        name, q = SETTLED[i]
        return quantile_minutes(getattr(self, name), q)

    @property
    def first_median(self) -> float | None:
        return self._quantile(0)

    @property
    def first_p90(self) -> float | None:
        return self._quantile(1)

    @property
    def resolution_median(self) -> float | None:
        return self._quantile(2)

    @property
    def resolution_p90(self) -> float | None:
        return self._quantile(3)

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


# The quantiles ``Figures.quantiles`` holds, in its order: (histogram, q).
SETTLED = (("fr", 0.5), ("fr", 0.9), ("rs", 0.5), ("rs", 0.9))
_BUCKET_MINUTES = [bucket_minutes(b) for b in range(N_BUCKETS)]


def settle(rows: Iterable[Figures]) -> None:
    """Compute the medians and p90 of many final rows at once (the same figures as
    ``quantile_minutes`` of each, in a few numpy calls for all) into their ``quantiles``
    and drop their histograms: a page shows each figure once or more, and the cached
    figures are a fraction of the size without the histograms."""
    todo = [r for r in rows if r.quantiles is None]
    if not todo:
        return
    found: list[list[float | None]] = []
    for name, q in SETTLED:
        stack = np.zeros((len(todo), N_BUCKETS), dtype=np.int64)
        for i, row in enumerate(todo):
            counts = getattr(row, name)
            if counts is not None:
                stack[i] = counts
        cumulative = np.cumsum(stack, axis=1)
        totals = cumulative[:, -1]
        ranks = np.maximum(1, np.ceil(q * totals))
        buckets = (cumulative < ranks[:, None]).sum(axis=1)
        found.append(
            [
                _BUCKET_MINUTES[b] if total > 0 else None
                for b, total in zip(buckets.tolist(), totals.tolist(), strict=True)
            ]
        )
    for row, *quantiles in zip(todo, *found, strict=True):
        row.quantiles = tuple(quantiles)
        row.fr = row.rs = None


class HistogramRows:
    """The stored duration histograms of many rows, added to their ``Figures`` at once by
    ``merge`` (``buckets.HistogramSums``: a few numpy calls, not a decode per row; the
    ``rt`` ratings are read as sums)."""

    def __init__(self) -> None:
        self._targets: list[Figures] = []
        self._index: dict[int, int] = {}
        self._fr, self._rs = HistogramSums(), HistogramSums()

    def add(self, figures: Figures, fr: Any, rs: Any) -> None:
        if not (fr or rs):
            return
        key = id(figures)
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self._targets)
            self._targets.append(figures)
        if fr:
            self._fr.add(i, fr)
        if rs:
            self._rs.add(i, rs)

    def add_all(self, figures: list[Figures], fr: list[Any], rs: list[Any]) -> None:
        """``add`` of many rows at once: ``figures[k]`` gets ``fr[k]`` and ``rs[k]`` (the
        same figures may come back)."""
        index, targets, slots = self._index, self._targets, []
        for item in figures:
            key = id(item)
            i = index.get(key)
            if i is None:
                i = index[key] = len(targets)
                targets.append(item)
            slots.append(i)
        self._fr.add_all(slots, fr)
        self._rs.add_all(slots, rs)

    def merge(self) -> None:
        n = len(self._targets)
        for name, sums in (("fr", self._fr.sums(n)), ("rs", self._rs.sums(n))):
            for i in np.flatnonzero(sums.any(axis=1)):
                figures = self._targets[i]
                if figures.quantiles is not None:
                    raise ValueError("a settled row is final (its histograms were dropped)")
                mine = getattr(figures, name)
                setattr(figures, name, sums[i] if mine is None else mine + sums[i])


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def grain_for(start: date) -> str:
    """Month rows when the range starts on the 1st (the dashboards' periods), else day rows."""
    return MONTH if start.day == 1 else DAY


def rows(
    polres_ids: Iterable[int],
    start: date,
    end: date,
    dimension: str,
    *,
    restricted: bool | None,
    grain: str | None = None,
) -> QuerySet[MetricRow]:
    """Rows of one dimension in [start, end]; ``restricted``: True/False filters, None = all."""
    qs = MetricRow.objects.filter(
        polres_id__in=list(polres_ids),
        grain=grain or grain_for(start),
        dimension=dimension,
        day__gte=start,
        day__lte=end,
    )
    if restricted is not None:
        qs = qs.filter(restricted=restricted)
    return qs


FIELDS = (*COUNT_FIELDS, "fr", "rs")


def _sum_into(
    target: dict[str, Figures], key: str, values: tuple[Any, ...], histograms: HistogramRows
) -> None:
    figures = target.get(key)
    if figures is None:
        figures = target[key] = Figures(value=key, counts=dict.fromkeys(COUNT_FIELDS, 0))
    counts = figures.counts
    for name, n in zip(COUNT_FIELDS, values, strict=False):
        if n:
            counts[name] += n
    histograms.add(figures, values[-2], values[-1])


SUMS = {f"s_{f}": Sum(f) for f in COUNT_FIELDS}


def _plain_rows(qs: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` of strings, integers (sums) and bytes (histograms) as
    the driver returns them, without Django's per-value converters (an ``int()`` of every
    sum; the drivers return the integer sums as ints already): a roll-up reads about 1,400
    rows of 17 sums and ``by_polres`` about 2,100 rows with histograms."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def combined_rows(parts: list[QuerySet[Any, tuple[Any, ...]]]) -> list[list[tuple[Any, ...]]]:
    """The rows of two ``values_list`` querysets (of one database) in one statement and one
    round trip: ``UNION ALL`` of the parts, each padded with NULL to the other's columns and
    tagged with its index; the rows of each part come back as ``_plain_rows`` gives them
    (driver values, no converters), in no particular order. A part that can match nothing
    (``EmptyResultSet``, e.g. ``__in=[]``) is not sent. At most two parts: PostgreSQL
    resolves a UNION's column types pair by pair, and two NULL columns would meet as text."""
    if len(parts) > 2:
        raise ValueError("at most two parts (a third would pair NULL with NULL)")
    found: list[list[tuple[Any, ...]]] = [[] for _ in parts]
    compiled: list[tuple[int, str, tuple[Any, ...], list[str]]] = []
    for index, qs in enumerate(parts):
        compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            continue
        aliases = [alias for _expr, _sql, alias in compiler.select]
        if any(not alias for alias in aliases):
            raise ValueError("every column of a combined part needs an alias")
        compiled.append((index, sql, tuple(params), aliases))
    if not compiled:
        return found
    db = parts[compiled[0][0]].db
    quote = connections[db].ops.quote_name
    widths = [len(aliases) for *_rest, aliases in compiled]
    selects: list[str] = []
    values: list[Any] = []
    for position, (index, sql, params, aliases) in enumerate(compiled):
        columns = [str(index)]
        for other, width in enumerate(widths):
            if other == position:
                columns += [f"p{position}.{quote(a)}" for a in aliases]
            else:
                columns += ["NULL"] * width
        # The ORM compiled ``sql``; every value stays a parameter.
        selects.append(f"SELECT {', '.join(columns)} FROM ({sql}) p{position}")  # noqa: S608
        values.extend(params)
    offsets = [1 + sum(widths[:k]) for k in range(len(widths))]
    with connections[db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), values)
        rows = cursor.fetchall()
    slots = {index: (offsets[k], widths[k]) for k, (index, *_rest) in enumerate(compiled)}
    for row in rows:
        index = int(row[0])
        start, width = slots[index]
        found[index].append(tuple(row[start : start + width]))
    return found


class Breakdowns:
    """The figures of several dimensions over one period in two queries whatever their number
        (the counts summed by the database per dimension, value and restricted flag; the
        histograms of ``hist`` dimensions merged here), so a dashboard's cost is a constant number
        of queries over the bounded metrics rows. ``get`` then picks one dimension. ``polda``: the
    Polda of which ``polres_ids`` are every Polres; its own rows of ``ROLLUP_DIMENSIONS`` (the
    sums of its Polres's) are read instead of theirs, 1/30 of the histograms for 30 Polres.
    ``by_restricted=False``: the database adds restricted and other rows up already (half the
    groups; ``get`` then only answers ``restricted=None``), as the command view shows them."""

    def __init__(
        self,
        polres_ids: Iterable[int],
        start: date,
        end: date,
        dimensions: Iterable[str],
        *,
        hist: Iterable[str] = (),
        grain: str | None = None,
        polda: int | None = None,
        by_restricted: bool = True,
    ) -> None:
        dims, hist_dims = sorted(set(dimensions)), sorted(set(hist))
        ids = list(polres_ids)
        shared = [d for d in dims if d in ROLLUP_DIMENSIONS] if polda is not None else []
        own = [d for d in dims if d not in shared]
        where = Q(polres_id__in=ids, dimension__in=own)
        if shared:
            where |= Q(polres_id=polda, dimension__in=shared)
        qs = MetricRow.objects.filter(
            where,
            grain=grain or grain_for(start),
            dimension__in=dims,
            day__gte=start,
            day__lte=end,
        )
        self._by_restricted = by_restricted
        self._parts: dict[tuple[str, bool | None], dict[str, Figures]] = {}
        group = ["dimension", "value", "restricted"] if by_restricted else ["dimension", "value"]
        # The sums of the Polres's own dimensions and of the Polda's shared ones (disjoint
        # groups) in one statement, each part a plain range of the month rows' covering
        # index (``metric_month_sums``: an index-only scan; an OR would read the table).
        sources: list[tuple[list[int], list[str]]] = [(ids, own)]
        if polda is not None and shared:
            sources.append(([polda], shared))
        parts = [
            MetricRow.objects.filter(
                polres_id__in=units,
                dimension__in=part_dims,
                grain=grain or grain_for(start),
                day__gte=start,
                day__lte=end,
            )
            .order_by()
            .values_list(*group)
            .annotate(**SUMS)
            for units, part_dims in sources
            if part_dims
        ]
        sums = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        width, parts_of = len(group), self._parts
        for row in _plain_rows(sums):  # the sums of NOT NULL columns: never NULL
            key = (row[0], row[2] if by_restricted else None)
            part = parts_of.get(key)
            if part is None:
                part = parts_of[key] = {}
            counts = dict(zip(COUNT_FIELDS, row[width:], strict=True))
            part[row[1]] = Figures(value=row[1], counts=counts)
        if hist_dims:
            with_hist = qs.filter(dimension__in=hist_dims).exclude(fr=b"", rs=b"")
            histograms = HistogramRows()
            for dim, value, restricted, fr, rs in with_hist.values_list(
                "dimension", "value", "restricted", "fr", "rs"
            ):
                flag = restricted if by_restricted else None
                histograms.add(self._parts[(dim, flag)][value], fr, rs)
            histograms.merge()

    def get(self, dimension: str, *, restricted: bool | None = False) -> dict[str, Figures]:
        """Fresh ``Figures`` per value (the caller may label them); ``restricted``: True/False
        keeps those rows only, None adds both."""
        if not self._by_restricted:
            if restricted is not None:
                raise ValueError("read without the restricted split: restricted=None only")
            return {
                value: Figures(value=value, counts=dict(part.counts), fr=part.fr, rs=part.rs)
                for value, part in self._parts.get((dimension, None), {}).items()
            }
        flags = (False, True) if restricted is None else (restricted,)
        result: dict[str, Figures] = {}
        for flag in flags:
            for value, part in self._parts.get((dimension, flag), {}).items():
                merged = result.get(value)
                if merged is None:
                    merged = result[value] = Figures(value=value)
                merged.add_figures(part)
        return result

    def total(self, *, restricted: bool | None = False) -> Figures:
        return self.get("all", restricted=restricted).get("", Figures())


def breakdown(
    polres_ids: Iterable[int],
    start: date,
    end: date,
    dimension: str,
    *,
    restricted: bool | None = False,
    with_hist: bool = True,
    grain: str | None = None,
    polda: int | None = None,
) -> dict[str, Figures]:
    """Figures per value of ``dimension`` (``all`` gives one entry, key ""); ``polda`` as
    for ``Breakdowns``."""
    found = Breakdowns(
        polres_ids,
        start,
        end,
        [dimension],
        hist=[dimension] if with_hist else (),
        grain=grain,
        polda=polda,
    )
    return found.get(dimension, restricted=restricted)


def total(
    polres_ids: Iterable[int],
    start: date,
    end: date,
    *,
    restricted: bool | None = False,
    polda: int | None = None,
) -> Figures:
    found = breakdown(polres_ids, start, end, "all", restricted=restricted, polda=polda)
    return found.get("", Figures())


def monthly_rows(
    polres_ids: Iterable[int], start: date, end: date, *, restricted: bool | None = False
) -> QuerySet[Any, tuple[Any, ...]]:
    """The month rows ``monthly_figures`` sums: (day, *FIELDS)."""
    qs = rows(polres_ids, start.replace(day=1), end, "all", restricted=restricted, grain=MONTH)
    return qs.values_list("day", *FIELDS).order_by("day")


def as_date(value: date | str) -> date:
    """A date column as the driver returns it (SQLite: ISO text) as a ``date``."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def monthly_figures(found: Iterable[tuple[Any, ...]]) -> list[Figures]:
    """One ``Figures`` per month of ``monthly_rows``'s rows (in any order), oldest first."""
    months: dict[str, Figures] = {}
    histograms = HistogramRows()
    dated = sorted(((as_date(day), values) for day, *values in found), key=lambda r: r[0])
    for day, values in dated:
        _sum_into(months, day.strftime("%Y-%m"), tuple(values), histograms)
    histograms.merge()
    return list(months.values())


def monthly(
    polres_ids: Iterable[int], start: date, end: date, *, restricted: bool | None = False
) -> list[Figures]:
    """One ``Figures`` per month (value = "YYYY-MM"), oldest first (``polres_ids`` may be a
    Polda's own id: its rows sum its Polres's)."""
    return monthly_figures(monthly_rows(polres_ids, start, end, restricted=restricted))


def by_polres(
    polres_ids: Iterable[int],
    start: date,
    end: date,
    *,
    shown: Mapping[str, Iterable[Figures]] | None = None,
) -> dict[int, Figures]:
    """One ``Figures`` per Polres (the roll-up comparison of a Polda or Mabes). ``shown``:
    figures of some dimensions read without their duration histograms (the rows a roll-up
    lists, 20 of 1,500 officers) get them from the same query, restricted rows included: the
    rows of those values only, by index probes."""
    wanted = {dim: {f.value: f for f in items} for dim, items in (shown or {}).items()}
    where = Q(dimension="all")
    for dim, items in wanted.items():
        if items:
            where |= Q(dimension=dim, value__in=sorted(items))
    qs = MetricRow.objects.filter(
        where,
        polres_id__in=list(polres_ids),
        dimension__in=["all", *sorted(wanted)],  # an index condition (the OR alone filters)
        grain=grain_for(start),
        day__gte=start,
        day__lte=end,
    )
    rows = _plain_rows(qs.values_list("polres_id", "dimension", "value", *FIELDS))
    per: dict[int, Figures] = {}
    owners: list[Figures] = []  # whose histograms each row holds
    for row in rows:
        if row[1] == "all":
            figures = per.get(row[0])
            if figures is None:
                figures = per[row[0]] = Figures(value=str(row[0]))
        else:
            figures = wanted[row[1]][row[2]]
        owners.append(figures)
    # The counts of each Polres: its "all" rows summed by numpy (about 360 rows of 17).
    n = len(COUNT_FIELDS)
    totals = [row for row in rows if row[1] == "all"]
    sums = np.zeros((len(per), n), dtype=np.int64)
    if totals:
        order = {pk: i for i, pk in enumerate(per)}
        slots = np.fromiter((order[row[0]] for row in totals), np.int64, len(totals))
        np.add.at(sums, slots, np.array([row[3 : 3 + n] for row in totals], dtype=np.int64))
    for figures, values in zip(per.values(), sums.tolist(), strict=True):
        figures.counts = dict(zip(COUNT_FIELDS, values, strict=True))
    histograms = HistogramRows()
    histograms.add_all(owners, [row[-2] for row in rows], [row[-1] for row in rows])
    histograms.merge()
    return per
