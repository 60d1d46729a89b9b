"""SLA computation: due times from the Polres's per-priority targets, optionally counted only
in its service hours (weekends and Indonesian public holidays excluded, via ``lokal-id``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from lokal import is_working_day

from posko.aduan.models import ServiceHours, SlaPolicy
from posko.aduan.models.policy import DEFAULT_SLA_MINUTES
from posko.core.memo import memoized
from posko.org.models import Unit

# lokal-id numbers weekdays from Sunday = 0.
SUNDAY, SATURDAY = 0, 6
MAX_DAYS = 800  # a target can never need more working days than this


@dataclass(frozen=True)
class SlaTargets:
    first_response: timedelta
    resolution: timedelta
    working_hours_only: bool = False


def sla_targets(polres: Unit, priority: str) -> SlaTargets:
    return memoized(("sla_targets", polres.pk, priority), lambda: _sla_targets(polres, priority))


def _sla_targets(polres: Unit, priority: str) -> SlaTargets:
    policy = SlaPolicy.objects.filter(polres=polres, priority=priority).first()
    if policy is None:
        first, resolution = DEFAULT_SLA_MINUTES[priority]
        return SlaTargets(timedelta(minutes=first), timedelta(minutes=resolution))
    return SlaTargets(
        timedelta(minutes=policy.first_response_minutes),
        timedelta(minutes=policy.resolution_minutes),
        policy.working_hours_only,
    )


def due_times(polres: Unit, priority: str, received_at: datetime) -> tuple[datetime, datetime]:
    targets = sla_targets(polres, priority)
    if not targets.working_hours_only:
        return received_at + targets.first_response, received_at + targets.resolution
    hours = ServiceHours.objects.filter(polres=polres).first() or ServiceHours(polres=polres)
    return (
        add_service_time(received_at, targets.first_response, hours),
        add_service_time(received_at, targets.resolution, hours),
    )


def is_service_day(day: date, hours: ServiceHours) -> bool:
    weekend = (SUNDAY,) if hours.saturday_open else (SUNDAY, SATURDAY)
    return bool(is_working_day(day, cuti_bersama=hours.observe_cuti_bersama, weekend=weekend))


def add_service_time(start: datetime, duration: timedelta, hours: ServiceHours) -> datetime:
    """``start`` plus ``duration`` counted only inside service hours, in the local time zone."""
    tz = ZoneInfo(settings.TIME_ZONE)
    local = start.astimezone(tz)
    remaining = duration
    day = local.date()
    for _ in range(MAX_DAYS):
        if is_service_day(day, hours):
            opens = datetime.combine(day, hours.opens_at, tz)
            closes = datetime.combine(day, hours.closes_at, tz)
            begin = max(opens, local)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
        day += timedelta(days=1)
        local = datetime.combine(day, time(0, 0), tz)
    raise ValueError("SLA target too long for the service calendar")
