"""Assembling the dashboards' figures from the metrics layer (public and command views)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category, Channel
from posko.metrics.contributions import local_day
from posko.metrics.desa_map import desa_map
from posko.metrics.models import DAY, MetricRow
from posko.metrics.queries import (
    SMALL,
    Breakdowns,
    Figures,
    as_date,
    combined_rows,
    monthly,
    monthly_figures,
    monthly_rows,
    settle,
)
from posko.org.models import Officer, Unit
from posko.regions.models import Region

PERIODS = (3, 6, 12, 24)


def category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Category.choices}  # in the request's language


def channel_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Channel.choices}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    months: int


def period(months: int, today: date | None = None) -> Period:
    """The last ``months`` calendar months, this month included."""
    months = months if months in PERIODS else 12
    today = today or local_day(timezone.now())
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return Period(date(year, month, 1), today, months)


def label_rows(rows: Iterable[Figures], labels: dict[str, str], unknown: str) -> None:
    """Set each row's label (``unknown`` for the empty value or a value without a label)."""
    for item in rows:
        item.label = labels.get(item.value, unknown) if item.value else unknown


def _labelled(figures: dict[str, Figures], labels: dict[str, str], unknown: str) -> list[Figures]:
    label_rows(figures.values(), labels, unknown)
    return sorted(figures.values(), key=lambda f: (-f.counts.get("received", 0), f.label))


def unit_labels(keys: object) -> dict[str, str]:
    ids = [int(k) for k in keys if k]  # type: ignore[attr-defined]
    return {str(pk): name for pk, name in Unit.objects.filter(pk__in=ids).values_list("pk", "name")}


def unit_and_officer_labels(
    unit_keys: Iterable[str], officer_keys: Iterable[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The units' names (as ``unit_labels``) and the officers' (rank and name, by
    ``Officer.__str__`` of the columns it reads) by id, in one statement (``combined_rows``)."""
    from django.contrib.auth import get_user_model

    user = get_user_model()
    units = Unit.objects.filter(pk__in=[int(k) for k in unit_keys if k])
    officers = Officer.objects.filter(pk__in=[int(k) for k in officer_keys if k])
    unit_rows, officer_rows = combined_rows(
        [
            units.values_list("pk", "name"),
            officers.values_list(
                "pk", "rank", "user__first_name", "user__last_name", "user__username"
            ),
        ]
    )
    names = {
        str(pk): str(
            Officer(pk=pk, rank=rank, user=user(first_name=first, last_name=last, username=login))
        )
        for pk, rank, first, last, login in officer_rows
    }
    return {str(pk): name for pk, name in unit_rows}, names


UNKNOWN_LABELS = {"satuan": "—", "polsek": "Polres (tanpa Polsek)", "officers": "Belum ditugaskan"}


def fastest(polsek: list[Figures]) -> Figures | None:
    """The Polsek with the shortest median time to first response (≥ 5 answered aduan)."""
    candidates = [p for p in polsek if p.responded >= SMALL and p.value]
    return min(candidates, key=lambda p: (p.first_median or 0, -p.responded), default=None)


def _public_figures(polres: Unit, months: int) -> dict[str, object]:
    p = period(months)
    ids = [polres.pk]
    found = Breakdowns(
        ids,
        p.start,
        p.end,
        ["all", "category", "polsek", "channel", "desa"],
        hist=["all", "category", "polsek"],
    )
    category_rows = _labelled(found.get("category", restricted=None), category_labels(), "—")
    for row in category_rows:
        row.restricted = row.value in RESTRICTED_CATEGORIES
    polsek_raw = found.get("polsek", restricted=False)
    polsek = _labelled(polsek_raw, unit_labels(polsek_raw), "Polres (tanpa Polsek)")
    desa_raw = found.get("desa", restricted=False)
    desa_names = dict(
        Region.objects.filter(pk__in=[k for k in desa_raw if k]).values_list("pk", "name")
    )
    desa = _labelled(desa_raw, {str(k): v for k, v in desa_names.items()}, "Tidak diketahui")
    return {
        "period": p,
        "periods": PERIODS,
        "overall": found.total(restricted=False),
        "restricted_count": found.total(restricted=True).received,
        "months": monthly(ids, p.start, p.end, restricted=False),
        "categories": category_rows,
        "polsek": polsek,
        "fastest": fastest(polsek),
        "channels": _labelled(found.get("channel", restricted=None), channel_labels(), "—"),
        "desa": desa[:20],
        "desa_map": desa_map(polres, desa_raw),
    }


def growing_rows(polres_ids: list[int], today: date) -> QuerySet[Any, tuple[Any, ...]]:
    """The category day rows of the last 14 days ``growing_categories`` compares."""
    return MetricRow.objects.filter(
        polres_id__in=polres_ids,
        grain=DAY,
        dimension="category",
        day__gte=today - timedelta(days=13),
        day__lte=today,
    ).values_list("day", "value", "received")


def growing_categories(found: Iterable[tuple[Any, ...]], today: date) -> list[tuple[str, int, int]]:
    """Categories with more aduan in the last 7 days than in the 7 before (label, now,
    before), fastest growing first, from ``growing_rows``'s rows (14 days of day rows)."""
    recent: Counter[str] = Counter()
    before: Counter[str] = Counter()
    split = today - timedelta(days=6)
    for day, value, received in found:
        (recent if as_date(day) >= split else before)[value] += received
    labels = category_labels()
    growing = [(labels.get(k, k), n, before[k]) for k, n in recent.items() if n > before[k]]
    return sorted(growing, key=lambda t: (t[2] - t[1], t[0]))


def rows_of(figures: dict[str, object], name: str) -> list[Figures]:
    return cast(list[Figures], figures[name])


def _command_figures(polres_ids: list[int], months: int, polda: int | None) -> dict[str, object]:
    """The command view: the same figures with restricted aduan included, per satuan, Polsek
    and officer (a fixed number of queries over the metrics rows). Above a Polres the
    satuan, Polsek and officer rows come without their histograms and labels, in the order
    read: the view shows only some of them (``command.ROLLUP_ROWS``) and reads the histograms
    and labels of those. The other rows are settled (``queries.settle``: their medians and
    p90 computed, histograms dropped). ``polda``: the
    Polda of which ``polres_ids`` are every Polres (a Kapolda's view): the totals, months,
    categories and channels are read from its own rows."""
    p = period(months)
    dims = ["all", "satuan", "polsek", "officer", "category", "channel"]
    hist = dims if len(polres_ids) == 1 else ["all", "category", "channel"]
    found = Breakdowns(
        polres_ids, p.start, p.end, dims, hist=hist, polda=polda, by_restricted=False
    )
    shared = polres_ids if polda is None else [polda]
    month_rows, day_rows = combined_rows(  # one round trip for both
        [monthly_rows(shared, p.start, p.end, restricted=None), growing_rows(shared, p.end)]
    )
    raw = {
        "satuan": found.get("satuan", restricted=None),
        "polsek": found.get("polsek", restricted=None),
        "officers": found.get("officer", restricted=None),
    }
    if len(polres_ids) == 1:
        units, officers = unit_and_officer_labels([*raw["satuan"], *raw["polsek"]], raw["officers"])
        labels = {"satuan": units, "polsek": units, "officers": officers}
        rows = {n: _labelled(r, labels[n], UNKNOWN_LABELS[n]) for n, r in raw.items()}
    else:  # the view labels the rows it shows (``command.ROLLUP_ROWS`` of each)
        rows = {n: list(r.values()) for n, r in raw.items()}
    figures: dict[str, object] = {
        "period": p,
        "periods": PERIODS,
        "overall": found.total(restricted=None),
        "months": monthly_figures(month_rows),
        **rows,
        "categories": _labelled(found.get("category", restricted=None), category_labels(), "—"),
        "channels": _labelled(found.get("channel", restricted=None), channel_labels(), "—"),
        "growing": growing_categories(day_rows, p.end)[:8],
    }
    final = ["months", "categories", "channels"]
    if len(polres_ids) == 1:  # a roll-up's rows get their histograms in the view
        final += ["satuan", "polsek", "officers"]
    settled = [rows_of(figures, name) for name in final]
    settle([cast(Figures, figures["overall"]), *(r for part in settled for r in part)])
    return figures


def _cached(
    kind: str, ids: list[int], months: int, build: Callable[[], dict[str, object]]
) -> dict[str, object]:
    """The figures of a dashboard, cached for ``POSKO_METRICS_CACHE_SECONDS`` (per language:
    labels are translated); 0 disables the cache."""
    seconds = settings.POSKO_METRICS_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = f"metrics:{kind}:{','.join(map(str, sorted(ids)))}:{months}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = build()
        cache.set(key, figures, seconds)
    return figures


def public_figures(polres: Unit, months: int) -> dict[str, object]:
    return _cached("public", [polres.pk], months, lambda: _public_figures(polres, months))


def command_figures(
    polres_ids: list[int], months: int, *, polda: int | None = None
) -> dict[str, object]:
    return _cached(
        "command", polres_ids, months, lambda: _command_figures(polres_ids, months, polda)
    )
