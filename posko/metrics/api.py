"""``/api/v1/metrics/…`` (django-ninja): the metrics layer for leaders' tools, scoped like the
command view (pimpinan and auditors; a Polda or Mabes officer gets their Polres rolled up)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from posko.aduan.access import officer_of
from posko.metrics.command import can_command, rollup_polda
from posko.metrics.dashboard import (
    category_labels,
    channel_labels,
    period,
    unit_labels,
)
from posko.metrics.models import COUNT_FIELDS, DIMENSIONS
from posko.metrics.queries import Figures, breakdown, by_polres, monthly, total
from posko.org.lookup import polres_units
from posko.org.models import Officer, Unit

router = Router(tags=["metrics"])


class FiguresOut(Schema):
    value: str
    label: str
    received: int
    open: int
    responded: int
    first_met: int
    resolved: int
    resolution_met: int
    rejected: int
    redirected: int
    reopened: int
    escalated: int
    corrections: int
    csat_count: int
    csat_solved: int
    first_median_minutes: float | None
    first_p90_minutes: float | None
    resolution_median_minutes: float | None
    resolution_p90_minutes: float | None
    first_met_pct: float | None
    resolution_met_pct: float | None
    csat_avg: float | None


class PeriodOut(Schema):
    start: str
    end: str
    months: int


class FiguresListOut(Schema):
    period: PeriodOut
    items: list[FiguresOut]


class SummaryOut(Schema):
    period: PeriodOut
    polres: list[str]
    total: FiguresOut


class MessageOut(Schema):
    message: str


def _out(f: Figures, label: str = "") -> dict[str, Any]:
    return {
        "value": f.value,
        "label": label or f.label,
        # Every summed count except the rating sum, which the API gives as an average.
        **{k: f.counts.get(k, 0) for k in COUNT_FIELDS if k != "csat_rating_sum"},
        "first_median_minutes": f.first_median,
        "first_p90_minutes": f.first_p90,
        "resolution_median_minutes": f.resolution_median,
        "resolution_p90_minutes": f.resolution_p90,
        "first_met_pct": f.first_met_pct,
        "resolution_met_pct": f.resolution_met_pct,
        "csat_avg": f.csat_avg,
    }


def _scope(request: HttpRequest) -> tuple[list[Unit], int | None]:
    """The caller's Polres, and the Polda whose own rows hold their sums (a Kapolda's)."""
    officer: Officer | None = officer_of(request.user)
    if not can_command(officer):
        raise HttpError(403, "Metrik internal hanya untuk pimpinan dan auditor.")
    assert officer is not None
    units = polres_units(officer.unit)
    return units, rollup_polda(officer, units)


def _period(months: int) -> dict[str, Any]:
    p = period(months)
    return {"start": p.start.isoformat(), "end": p.end.isoformat(), "months": p.months}


# Every metrics endpoint may answer these (no token, not allowed, bad parameters).
ERRORS = {401: MessageOut, 403: MessageOut, 422: MessageOut}


@router.get("/summary", response={200: SummaryOut, **ERRORS})
def summary(request: HttpRequest, bulan: int = 12) -> dict[str, Any]:
    """Totals over the last ``bulan`` months (restricted aduan included)."""
    units, polda = _scope(request)
    p = period(bulan)
    figures = total([u.pk for u in units], p.start, p.end, restricted=None, polda=polda)
    return {
        "period": _period(bulan),
        "polres": [u.code_prefix for u in units],
        "total": _out(figures, "total"),
    }


@router.get("/monthly", response={200: FiguresListOut, **ERRORS})
def per_month(request: HttpRequest, bulan: int = 12) -> dict[str, Any]:
    units, polda = _scope(request)
    p = period(bulan)
    ids = [polda] if polda is not None else [u.pk for u in units]
    months = monthly(ids, p.start, p.end, restricted=None)
    return {"period": _period(bulan), "items": [_out(m, m.value) for m in months]}


@router.get("/polres", response={200: FiguresListOut, **ERRORS})
def per_polres(request: HttpRequest, bulan: int = 12) -> dict[str, Any]:
    """The roll-up: one row per Polres in the caller's scope."""
    units, _polda = _scope(request)
    p = period(bulan)
    per = by_polres([u.pk for u in units], p.start, p.end)
    items = [_out(per[u.pk], u.name) | {"value": u.code_prefix} for u in units if u.pk in per]
    return {"period": _period(bulan), "items": items}


@router.get(
    "/by/{dimension}",
    response={
        200: FiguresListOut,
        401: MessageOut,
        403: MessageOut,
        404: MessageOut,
        422: MessageOut,
    },
)
def per_dimension(request: HttpRequest, dimension: str, bulan: int = 12) -> dict[str, Any]:
    """One row per value of ``dimension``: polsek, satuan, category, channel, desa, officer."""
    if dimension not in DIMENSIONS or dimension == "all":
        raise HttpError(404, f"Dimensi tidak dikenal: {dimension}")
    units, polda = _scope(request)
    p = period(bulan)
    ids = [u.pk for u in units]
    figures = breakdown(ids, p.start, p.end, dimension, restricted=None, polda=polda)
    if dimension in ("polsek", "satuan"):
        labels = unit_labels(figures)
    elif dimension == "category":
        labels = category_labels()
    elif dimension == "channel":
        labels = channel_labels()
    else:
        labels = {}
    items = [_out(f, labels.get(k, k)) for k, f in sorted(figures.items())]
    return {"period": _period(bulan), "items": items}
