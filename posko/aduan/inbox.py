"""The inbox: permission-scoped, filtered, ordered by priority then SLA due time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from posko.aduan.access import visible_aduan
from posko.aduan.models import Aduan, AduanPhoto
from posko.aduan.models.choices import CLOSED_STATUSES, OPEN_STATUSES, Status
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.org.models import Officer

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


def with_due(qs: QuerySet[Aduan]) -> QuerySet[Aduan]:
    """Annotate ``due``: the SLA deadline now running (first response, then resolution)."""
    return qs.annotate(
        due=Case(
            When(status__in=list(CLOSED_STATUSES), then=Value(None)),
            When(first_responded_at__isnull=True, then=F("first_response_due")),
            default=F("resolution_due"),
            output_field=DateTimeField(),
        )
    )


def inbox_queryset(
    user: AnyUser, filters: InboxFilters, *, now: datetime | None = None
) -> QuerySet[Aduan]:
    now = now or timezone.now()
    qs = with_due(visible_aduan(user))
    if filters.status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status and filters.status != ALL_STATUSES:
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
        qs = qs.filter(status__in=OPEN_STATUSES, due__lt=now)  # type: ignore[misc]
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(code__iexact=term) | Q(text__icontains=term))
    has_photo = Exists(AduanPhoto.objects.filter(aduan=OuterRef("pk")))
    return (
        qs.select_related("desa", "kecamatan", "handling_unit", "polsek", "assigned_officer__user")
        .annotate(has_photo=has_photo)
        .order_by("priority_rank", F("due").asc(nulls_last=True), "received_at", "id")
    )


def inbox_counts(
    user: AnyUser, *, now: datetime | None = None, assigned_officer: int | None = None
) -> dict:
    """Counts per status and of overdue open aduan, for the inbox header (of "Tugas saya"
    when ``assigned_officer`` is given: the counts match the list below them)."""
    now = now or timezone.now()
    qs = with_due(visible_aduan(user))
    if assigned_officer:
        qs = qs.filter(assigned_officer_id=assigned_officer)
    per_status = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = qs.filter(status__in=OPEN_STATUSES, due__lt=now).count()  # type: ignore[misc]
    return {
        "status": {s.value: per_status.get(s.value, 0) for s in Status},
        "open": sum(per_status.get(s, 0) for s in OPEN_STATUSES),
        "overdue": overdue,
    }


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
