"""What the publishing calendar shows: posts with a publishing time and community events
(ronda shifts; other apps add their events through ``register_event_source``), for a day, a
week or a month. Reads only, scoped to who asks."""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import officer_of
from posko.core.types import AnyUser
from posko.org.lookup import polres_units
from posko.publishing.access import can_read, visible_posts
from posko.publishing.models import PostStatus, RondaShift

VIEWS = ("hari", "minggu", "bulan")


@dataclass(frozen=True)
class CalendarItem:
    starts_at: datetime
    title: str
    category: str  # "post", "ronda", or another source's word
    label: str  # status or kind, already translated
    post_id: int | None = None
    ends_at: datetime | None = None


EventSource = Callable[[AnyUser, datetime, datetime], list[CalendarItem]]
_SOURCES: list[EventSource] = []


def register_event_source(source: EventSource) -> None:
    """Community events of another app (programme events) shown beside the posts."""
    if source not in _SOURCES:
        _SOURCES.append(source)


@dataclass(frozen=True)
class Period:
    view: str
    first: date  # first day shown
    days: int
    previous: date
    next: date
    anchor: date

    @property
    def begin(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    @property
    def end(self) -> datetime:
        return self.begin + timedelta(days=self.days)


def period(view: str, anchor: date) -> Period:
    """The days shown for a view around ``anchor``, and the anchors of the previous and next
    period (a month view starts on the Monday before the 1st and fills whole weeks)."""
    if view == "hari":
        return Period(
            view, anchor, 1, anchor - timedelta(days=1), anchor + timedelta(days=1), anchor
        )
    if view == "bulan":
        first_of_month = anchor.replace(day=1)
        length = pycalendar.monthrange(anchor.year, anchor.month)[1]
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last = first_of_month + timedelta(days=length - 1)
        last += timedelta(days=6 - last.weekday())
        previous = (first_of_month - timedelta(days=1)).replace(day=1)
        following = first_of_month + timedelta(days=length)
        return Period(view, first, (last - first).days + 1, previous, following, anchor)
    start = anchor - timedelta(days=anchor.weekday())
    return Period("minggu", start, 7, start - timedelta(days=7), start + timedelta(days=7), anchor)


def _post_items(user: AnyUser, begin: datetime, end: datetime) -> list[CalendarItem]:
    posts = (
        visible_posts(user)
        .filter(publish_at__gte=begin, publish_at__lt=end)
        .exclude(status=PostStatus.REJECTED)
        .order_by("publish_at", "id")
    )
    return [
        CalendarItem(
            starts_at=p.publish_at,  # type: ignore[arg-type]
            title=p.title or p.text[:80],
            category="post",
            label=str(p.get_status_display()),
            post_id=p.pk,
        )
        for p in posts
    ]


def _ronda_items(user: AnyUser, begin: datetime, end: datetime) -> list[CalendarItem]:
    officer = officer_of(user)
    if officer is None or not can_read(user):
        return []
    shifts = (
        RondaShift.objects.filter(
            post__polres__in=polres_units(officer.unit), starts_at__gte=begin, starts_at__lt=end
        )
        .select_related("post", "post__desa")
        .order_by("starts_at", "id")
    )
    return [
        CalendarItem(
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            title=_("Ronda %(post)s, %(desa)s") % {"post": s.post.name, "desa": s.post.desa.name},
            category="ronda",
            label=_("Ronda malam"),
        )
        for s in shifts
    ]


def calendar_days(user: AnyUser, shown: Period) -> list[tuple[date, list[CalendarItem]]]:
    """Each day of the period with its items in time order."""
    items = _post_items(user, shown.begin, shown.end) + _ronda_items(user, shown.begin, shown.end)
    for source in _SOURCES:
        items.extend(source(user, shown.begin, shown.end))
    days: list[tuple[date, list[CalendarItem]]] = [
        (shown.first + timedelta(days=i), []) for i in range(shown.days)
    ]
    for item in sorted(items, key=lambda i: i.starts_at):
        index = (timezone.localtime(item.starts_at).date() - shown.first).days
        if 0 <= index < shown.days:
            days[index][1].append(item)
    return days
