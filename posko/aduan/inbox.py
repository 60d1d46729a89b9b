"""The inbox: permission-scoped, filtered, ordered by priority then SLA due time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
)
from django.utils import timezone

from posko.aduan.access import visible_aduan
from posko.aduan.models import Aduan, AduanPhoto
from posko.aduan.models.aduan import OPEN_ONLY, due_expression, open_due_expression
from posko.aduan.models.choices import OPEN_STATUSES, Status
from posko.aduan.search import search_text
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.models import Officer, Unit
from posko.regions.models import Region

ALL_STATUSES = "semua"
OPEN = "terbuka"


@dataclass(frozen=True)
class InboxFilters:
    status: str = OPEN  # a Status code, "terbuka" (all open) or "semua"
    category: str = ""
    unit: int | None = None
    polsek: int | None = None
    desa: str = ""
    channel: str = ""
    overdue: bool = False
    assigned_officer: int | None = None
    q: str = ""


def with_due(qs: QuerySet[Aduan], *, open_only: bool = False) -> QuerySet[Aduan]:
    """Annotate ``due``: the SLA deadline now running (first response, then resolution).

    The expressions are the ones the inbox indexes are built on (``aduan_open_queue`` for a
    list of open aduan, ``aduan_all_queue`` otherwise)."""
    return qs.annotate(due=open_due_expression() if open_only else due_expression())


def inbox_queryset(
    user: AnyUser,
    filters: InboxFilters,
    *,
    now: datetime | None = None,
    visible: QuerySet[Aduan] | None = None,
) -> QuerySet[Aduan]:
    """The inbox list in its order. ``visible`` is ``visible_aduan(user)`` when the caller
    already has it (the header's counts use the same). The related rows a page shows (desa,
    kecamatan, units, officer) are not joined in: :func:`inbox_page` reads them apart."""
    now = now or timezone.now()
    open_only = filters.status == OPEN or filters.overdue or filters.status in OPEN_STATUSES
    base = visible_aduan(user) if visible is None else visible
    qs = with_due(base, open_only=open_only)
    if filters.status == OPEN or filters.overdue:
        qs = qs.filter(OPEN_ONLY)
    if filters.status and filters.status not in (OPEN, ALL_STATUSES):
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.unit:
        qs = qs.filter(handling_unit_id=filters.unit)
    if filters.polsek:
        qs = qs.filter(polsek_id=filters.polsek)
    if filters.desa:
        qs = qs.filter(desa_id=filters.desa)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.assigned_officer:
        qs = qs.filter(assigned_officer_id=filters.assigned_officer)
    if filters.overdue:
        qs = qs.filter(due__lt=now)  # type: ignore[misc]
    if filters.q:
        qs = search_text(qs, filters.q)
    has_photo = Exists(AduanPhoto.objects.filter(aduan=OuterRef("pk")))
    return qs.annotate(has_photo=has_photo).order_by(
        "priority_rank", F("due").asc(nulls_last=True), "received_at", "id"
    )


def attach_related(aduans: list[Aduan], *, known_units: Iterable[Unit] = ()) -> list[Aduan]:
    """Set ``desa``, ``kecamatan``, ``handling_unit``, ``polsek`` and ``assigned_officer``
    (with its user) on each aduan of a page, from at most three small queries
    (``known_units``: units the caller has already read, e.g. for its pickers; only the
    others are read).

    Joined into the page's own query (``select_related``), these five tables made PostgreSQL
    spend 25–60 ms planning it at 1 M aduan (the join orders over a table with a dozen
    indexes) for well under 1 ms of execution; the page alone plans in under 1 ms."""
    regions = _in_bulk(Region, {c for a in aduans for c in (a.desa_id, a.kecamatan_id) if c})
    units = {u.pk: u for u in known_units}
    unit_ids = {i for a in aduans for i in (a.handling_unit_id, a.polsek_id) if i}
    units.update(_in_bulk(Unit, unit_ids - units.keys()))
    officers = _in_bulk(
        Officer, {a.assigned_officer_id for a in aduans if a.assigned_officer_id}, "user"
    )
    fields = (
        ("desa", regions, "desa_id"),
        ("kecamatan", regions, "kecamatan_id"),
        ("handling_unit", units, "handling_unit_id"),
        ("polsek", units, "polsek_id"),
        ("assigned_officer", officers, "assigned_officer_id"),
    )
    for name, found, attname in fields:
        field = Aduan._meta.get_field(name)
        for aduan in aduans:
            field.set_cached_value(aduan, found.get(getattr(aduan, attname)))  # type: ignore[union-attr]
    return aduans


def _in_bulk(model: Any, keys: set[Any], *related: str) -> dict[Any, Any]:
    return model.objects.select_related(*related).in_bulk(keys) if keys else {}


def inbox_page(qs: QuerySet[Aduan], offset: int, limit: int) -> list[Aduan]:
    """``qs[offset:offset + limit]`` with :func:`attach_related`."""
    return attach_related(list(qs[offset : offset + limit]))


# Counts stop at this many: a COUNT over a Polda's million aduan per request would cost more
# than the page itself. The header then shows "1000+".
COUNT_CAP = 1000
OVERDUE, LISTED = "overdue", "listed"


def capped_count(qs: QuerySet[Aduan], cap: int = COUNT_CAP) -> int:
    """``min(qs.count(), cap)``, reading at most ``cap`` rows."""
    return qs.order_by().values("pk")[:cap].count()


def capped_counts(querysets: dict[str, QuerySet[Aduan]], cap: int = COUNT_CAP) -> dict[str, int]:
    """:func:`capped_count` of each queryset, all in one statement (one scalar subquery per
    count: ``SELECT (SELECT COUNT(*) FROM (… LIMIT cap)), …``), so a header of seven counts
    costs one round trip and one planning pass instead of seven."""
    counts = dict.fromkeys(querysets, 0)
    parts: list[str] = []
    params: list[Any] = []
    keys: list[str] = []
    for key, qs in querysets.items():
        try:
            sql, qs_params = qs.order_by().values("pk")[:cap].query.sql_with_params()
        except EmptyResultSet:  # e.g. .none(): nothing to count
            continue
        # The ORM compiled ``sql``; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{len(keys)})")  # noqa: S608
        params.extend(qs_params)
        keys.append(key)
    if parts:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        counts.update(zip(keys, (int(n) for n in row), strict=True))
    return counts


def inbox_counts(
    user: AnyUser,
    *,
    now: datetime | None = None,
    assigned_officer: int | None = None,
    listed: QuerySet[Aduan] | None = None,
    visible: QuerySet[Aduan] | None = None,
) -> dict:
    """Counts per status and of overdue open aduan, for the inbox header (of "Tugas saya"
    when ``assigned_officer`` is given: the counts match the list below them). Each count is
    capped at :data:`COUNT_CAP` (``capped`` lists the keys that reached it). ``listed``, the
    list shown below the header, is counted in the same statement (``listed`` in the result:
    the paginator's count). One query in all. ``visible``: ``visible_aduan(user)`` when the
    caller already has it."""
    now = now or timezone.now()
    qs = visible_aduan(user) if visible is None else visible
    if assigned_officer:
        qs = qs.filter(assigned_officer_id=assigned_officer)
    running = with_due(qs.filter(OPEN_ONLY), open_only=True)
    wanted = {s.value: qs.filter(status=s.value) for s in Status}
    wanted[OVERDUE] = running.filter(due__lt=now)  # type: ignore[misc]
    if listed is not None:
        wanted[LISTED] = listed
    found = capped_counts(wanted)
    per_status = {s.value: found[s.value] for s in Status}
    overdue = found[OVERDUE]
    open_total = min(sum(per_status[s] for s in OPEN_STATUSES), COUNT_CAP)
    capped = {k for k, v in per_status.items() if v >= COUNT_CAP}
    capped |= {k for k, v in (("open", open_total), ("overdue", overdue)) if v >= COUNT_CAP}
    counts = {"status": per_status, "open": open_total, "overdue": overdue, "capped": capped}
    if listed is not None:
        counts["listed"] = found[LISTED]
    return counts


def change_stamp(officer: Officer) -> str:
    """A cheap stamp that changes whenever an aduan of the officer's Polres changes or the
    officer gets a notification: two index-only look-ups, whatever the table's size.

    It is per Polres (not per scope) so that it stays one index probe; the list it prompts
    the browser to re-fetch is scoped as always."""
    latest = Aduan.objects.filter(polres__in=polres_units(officer.unit)).aggregate(
        m=Max("updated_at"), n=Max("id")
    )
    notes = officer.notifications.aggregate(m=Max("id"))["m"] or 0
    unread = officer.notifications.filter(read_at__isnull=True).count()
    changed = latest["m"].timestamp() if latest["m"] else 0.0
    return f"{changed:.6f}-{latest['n'] or 0}-{notes}-{unread}"
