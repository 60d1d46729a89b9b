"""Assembling the dashboards' figures from the metrics layer (public and command views)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from posko.aduan.models.choices import RESTRICTED_CATEGORIES, Category, Channel
from posko.metrics.contributions import local_day
from posko.metrics.desa_map import desa_map
from posko.metrics.models import DAY
from posko.metrics.queries import SMALL, Figures, breakdown, monthly, total
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


def _labelled(figures: dict[str, Figures], labels: dict[str, str], unknown: str) -> list[Figures]:
    for key, item in figures.items():
        item.label = labels.get(key, unknown) if key else unknown
    return sorted(figures.values(), key=lambda f: (-f.counts.get("received", 0), f.label))


def unit_labels(keys: object) -> dict[str, str]:
    ids = [int(k) for k in keys if k]  # type: ignore[attr-defined]
    return {str(pk): name for pk, name in Unit.objects.filter(pk__in=ids).values_list("pk", "name")}


def fastest(polsek: list[Figures]) -> Figures | None:
    """The Polsek with the shortest median time to first response (≥ 5 answered aduan)."""
    candidates = [p for p in polsek if p.responded >= SMALL and p.value]
    return min(candidates, key=lambda p: (p.first_median or 0, -p.responded), default=None)


def _public_figures(polres: Unit, months: int) -> dict[str, object]:
    p = period(months)
    ids = [polres.pk]
    categories = breakdown(ids, p.start, p.end, "category", restricted=None)
    category_rows = _labelled(categories, category_labels(), "—")
    for row in category_rows:
        row.restricted = row.value in RESTRICTED_CATEGORIES
    polsek_raw = breakdown(ids, p.start, p.end, "polsek", restricted=False)
    polsek = _labelled(polsek_raw, unit_labels(polsek_raw), "Polres (tanpa Polsek)")
    channels = breakdown(ids, p.start, p.end, "channel", restricted=None, with_hist=False)
    desa_raw = breakdown(ids, p.start, p.end, "desa", restricted=False, with_hist=False)
    desa_names = dict(
        Region.objects.filter(pk__in=[k for k in desa_raw if k]).values_list("pk", "name")
    )
    desa = _labelled(desa_raw, {str(k): v for k, v in desa_names.items()}, "Tidak diketahui")
    return {
        "period": p,
        "periods": PERIODS,
        "overall": total(ids, p.start, p.end, restricted=False),
        "restricted_count": total(ids, p.start, p.end, restricted=True).received,
        "months": monthly(ids, p.start, p.end, restricted=False),
        "categories": category_rows,
        "polsek": polsek,
        "fastest": fastest(polsek),
        "channels": _labelled(channels, channel_labels(), "—"),
        "desa": desa[:20],
        "desa_map": desa_map(polres, desa_raw),
    }


def _command_figures(polres_ids: list[int], months: int) -> dict[str, object]:
    """The command view: the same figures with restricted aduan included, per satuan, Polsek
    and officer."""
    p = period(months)
    satuan_raw = breakdown(polres_ids, p.start, p.end, "satuan", restricted=None)
    polsek_raw = breakdown(polres_ids, p.start, p.end, "polsek", restricted=None)
    officer_raw = breakdown(polres_ids, p.start, p.end, "officer", restricted=None)
    officers = {
        str(o.pk): str(o)
        for o in Officer.objects.filter(pk__in=[int(k) for k in officer_raw if k]).select_related(
            "user"
        )
    }
    categories = breakdown(polres_ids, p.start, p.end, "category", restricted=None)
    channels = breakdown(polres_ids, p.start, p.end, "channel", restricted=None)
    recent = breakdown(
        polres_ids,
        p.end - timedelta(days=6),
        p.end,
        "category",
        restricted=None,
        with_hist=False,
        grain=DAY,
    )
    before = breakdown(
        polres_ids,
        p.end - timedelta(days=13),
        p.end - timedelta(days=7),
        "category",
        restricted=None,
        with_hist=False,
        grain=DAY,
    )
    growing = sorted(
        (
            (category_labels().get(k, k), f.received, before.get(k, Figures()).received)
            for k, f in recent.items()
            if f.received > before.get(k, Figures()).received
        ),
        key=lambda t: t[2] - t[1],
    )
    return {
        "period": p,
        "periods": PERIODS,
        "overall": total(polres_ids, p.start, p.end, restricted=None),
        "months": monthly(polres_ids, p.start, p.end, restricted=None),
        "satuan": _labelled(satuan_raw, unit_labels(satuan_raw), "—"),
        "polsek": _labelled(polsek_raw, unit_labels(polsek_raw), "Polres (tanpa Polsek)"),
        "officers": _labelled(officer_raw, officers, "Belum ditugaskan"),
        "categories": _labelled(categories, category_labels(), "—"),
        "channels": _labelled(channels, channel_labels(), "—"),
        "growing": growing[:8],
    }


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


def command_figures(polres_ids: list[int], months: int) -> dict[str, object]:
    return _cached("command", polres_ids, months, lambda: _command_figures(polres_ids, months))
