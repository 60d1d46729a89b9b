"""The command view (/posko/komando/) for the Kapolres/Wakapolres and auditors: the public
figures with internal detail per satuan, Polsek and officer, overdue work now, incidents
growing, and drill-down links to the inbox filtered the same way. A Polda or Mabes officer
sees the same view rolled up over their Polres, with a comparison table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from posko.aduan.access import RESTRICTED_READERS, officer_of, visible_aduan
from posko.aduan.models import Aduan
from posko.aduan.models.aduan import OPEN_ONLY, open_due_expression
from posko.core.types import AnyUser
from posko.metrics.command_rows import CommandTables
from posko.metrics.contributions import hour_of
from posko.metrics.dashboard import (
    UNKNOWN_LABELS,
    Period,
    command_figures,
    label_rows,
    period,
    unit_and_officer_labels,
)
from posko.metrics.models import DEADLINE_DAY, DEADLINE_MONTH, ESCALATED, HOUR, DeadlineRow
from posko.metrics.queries import Figures, by_polres, combined_rows, settle
from posko.org.lookup import polres_units
from posko.org.models import Officer, Unit, UnitKind


def can_command(officer: Officer | None) -> bool:
    return officer is not None and officer.role in RESTRICTED_READERS


def rollup_polda(officer: Officer, units: list[Unit]) -> int | None:
    """The Polda whose own rows hold the sums of ``units`` in ``officer``'s views: a
    Kapolda's (``units``: every Polres of the Polda), else None."""
    return officer.unit_id if officer.unit.kind == UnitKind.POLDA and len(units) > 1 else None


def open_backlog(user: AnyUser, polres_ids: list[int] | None = None) -> QuerySet[Aduan]:
    """The open aduan the user may see (the partial indexes' condition); ``polres_ids`` as
    for ``visible_aduan``."""
    return visible_aduan(user, polres_ids=polres_ids).filter(OPEN_ONLY)


def overdue_groups(
    open_aduan: QuerySet[Aduan], now: datetime, *, since: datetime | None = None
) -> QuerySet[Aduan, tuple[Any, ...]]:
    """(satuan, Polsek, officer, n) of ``open_aduan`` past their running deadline (and due at
    or after ``since``): a range of ``aduan_open_live`` (the deadline expression the inbox
    sorts on, covering the grouped and permission-checked columns), an index-only scan."""
    due = open_aduan.annotate(due=open_due_expression()).filter(due__lt=now)
    if since is not None:
        due = due.filter(due__gte=since)
    return (
        due.order_by()
        .values_list("handling_unit", "polsek", "assigned_officer")
        .annotate(n=Count("*"))
    )


def _hidden(officer: Officer, restricted: bool, subject: str) -> bool:
    """Whether ``visible_aduan`` hides the aduan of a deadline row from a commanding officer
    (Kapolres, auditor; Polda, Mabes): restricted ones above the Polres; in a Polres, those
    about the officer or their unit."""
    if officer.unit.kind in (UnitKind.POLDA, UnitKind.MABES):
        return restricted
    if not subject:
        return False
    unit, member = subject.split("/")
    return unit == str(officer.unit_id) or member == str(officer.pk)


def _deadline_window(hour: datetime) -> Q:
    """The deadline rows wholly before ``hour``: months before this one, days of this month
    before today, hours of today before this one (UTC); and the escalated rows."""
    day = hour.replace(hour=0)
    month = day.replace(day=1)
    return (
        Q(grain=DEADLINE_MONTH, start__lt=month)
        | Q(grain=DEADLINE_DAY, start__gte=month, start__lt=day)
        | Q(grain=HOUR, start__gte=day, start__lt=hour)
        | Q(grain=ESCALATED)
    )


def live_overdue(request: HttpRequest, polres_ids: list[int]) -> dict[str, dict[str, int]]:
    """Open aduan past their running SLA deadline now, per satuan, Polsek and officer, and the
    escalated ones still open, in one statement of two parts whatever the backlog: the
    metrics layer's ``DeadlineRow`` sums for deadlines before this hour (a few hundred rows,
    in the officer's permission scope), and the aduan due within this hour so far through
    the permission-scoped selector (a short range of ``aduan_open_live``)."""
    officer = officer_of(request.user)
    assert officer is not None and can_command(officer)
    now = timezone.now()
    hour = hour_of(now)
    result: dict[str, dict[str, int]] = {"satuan": {}, "polsek": {}, "officer": {}}
    escalated = 0
    sums = (
        DeadlineRow.objects.filter(_deadline_window(hour), polres__in=polres_ids)
        .order_by()
        .values_list("grain", "dimension", "value", "restricted", "subject")
        .annotate(n=Sum("open"))
    )
    live = overdue_groups(open_backlog(request.user, polres_ids), now, since=hour)
    summed, due_now = combined_rows([sums, live])  # one round trip for both
    for grain, dimension, value, restricted, subject, n in summed:
        if _hidden(officer, bool(restricted), subject):
            continue
        if grain == ESCALATED:
            escalated += n
        else:
            result[dimension][value] = result[dimension].get(value, 0) + n
    for unit, polsek, member, n in due_now:
        for name, key in (("satuan", unit), ("polsek", polsek), ("officer", member)):
            k = "" if key is None else str(key)
            result[name][k] = result[name].get(k, 0) + n
    result["escalated"] = {"": escalated}
    return result


def _attach_overdue(rows: list[Any], overdue: dict[str, int]) -> None:
    for row in rows:
        row.overdue = overdue.get(row.value, 0)


@login_required
@require_GET
def command_view(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if not can_command(officer):
        return HttpResponseForbidden(_("Halaman komando hanya untuk pimpinan dan auditor."))
    assert officer is not None
    units = polres_units(officer.unit)
    try:
        months = int(request.GET.get("bulan", "12"))
    except ValueError:
        months = 12
    polda = rollup_polda(officer, units)
    figures = command_figures([u.pk for u in units], months, polda=polda)
    overdue = live_overdue(request, [u.pk for u in units])
    for name, key in (("satuan", "satuan"), ("polsek", "polsek"), ("officers", "officer")):
        _attach_overdue(figures[name], overdue[key])  # type: ignore[arg-type]
    totals: dict[str, int] = {}
    comparison: list[tuple[Unit, Any]] = []
    if len(units) > 1:
        figures, totals, per = _rolled_up_rows(figures, [u.pk for u in units], period(months))
        comparison = [(u, per[u.pk]) for u in units if u.pk in per]
    return render(
        request,
        "metrics/command.html",
        {
            **figures,
            "units": units,
            "comparison": comparison,
            "overdue_total": sum(overdue["satuan"].values()),
            "escalated_open": overdue["escalated"][""],
            "current_officer": officer,
            "cache_seconds": settings.POSKO_METRICS_CACHE_SECONDS,
            "scope_key": ",".join(str(u.pk) for u in units),
            "row_totals": totals,
            "rollup_rows": ROLLUP_ROWS,
            "tables": CommandTables(figures, comparison),
        },
    )


# Above a Polres the tables per satuan, Polsek and officer would list every unit and officer of
# every Polres (about 1,500 rows for a Polda of 30): they show the ones that need attention.
ROLLUP_ROWS = 20


def _need(row: Figures) -> tuple[int, int, int]:
    """A roll-up row's place: the most overdue (attached above), then open, then received."""
    counts = row.counts
    return (-row.overdue, -counts.get("open", 0), -counts.get("received", 0))


def _candidates(rows: list[Figures], limit: int) -> list[Figures]:
    """The rows that may be among the first ``limit`` by (``_need``, label): those ahead of
    the ``limit``-th row's need and those tied with it (their label decides), in need order,
    the order read kept among equal needs (a stable sort)."""
    ordered = sorted(rows, key=_need)
    if len(ordered) <= limit:
        return ordered
    boundary = _need(ordered[limit - 1])
    return [row for row in ordered if _need(row) <= boundary]


def _first(candidates: list[Figures], limit: int) -> list[Figures]:
    """The first ``limit`` of ``_candidates``'s rows, labelled: by need, then label, then as
    read (a stable sort); the rows a sort of every labelled row would put first."""
    return sorted(candidates, key=lambda r: (_need(r), r.label))[:limit]


def _rolled_up_rows(
    figures: dict[str, Any], polres_ids: list[int], p: Period
) -> tuple[dict[str, Any], dict[str, int], dict[int, Figures]]:
    """The satuan, Polsek and officer rows of a roll-up with the most overdue, then open, then
    received aduan, ties by label (at most ``ROLLUP_ROWS`` each; only the rows that may be
    shown are labelled, their histograms read with the comparison's rows), how many rows
    there were, and the figures per Polres."""
    shown = dict(figures)
    totals: dict[str, int] = {}
    candidates: dict[str, list[Figures]] = {}
    for name in ("satuan", "polsek", "officers"):
        totals[name] = len(figures[name])
        candidates[name] = _candidates(figures[name], ROLLUP_ROWS)
    units, officers = unit_and_officer_labels(
        (r.value for name in ("satuan", "polsek") for r in candidates[name]),
        (r.value for r in candidates["officers"]),
    )
    labels = {"satuan": units, "polsek": units, "officers": officers}
    for name, rows in candidates.items():
        label_rows(rows, labels[name], UNKNOWN_LABELS[name])
        shown[name] = _first(rows, ROLLUP_ROWS)
    dimensions = {"satuan": "satuan", "polsek": "polsek", "officers": "officer"}
    per = by_polres(polres_ids, p.start, p.end, shown={d: shown[n] for n, d in dimensions.items()})
    settle([*per.values(), *(r for name in dimensions for r in shown[name])])
    return shown, totals, per
