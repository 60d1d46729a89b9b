"""SLA computation: due times from the Polres's per-priority targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from posko.aduan.models import SlaPolicy
from posko.aduan.models.policy import DEFAULT_SLA_MINUTES
from posko.org.models import Unit


@dataclass(frozen=True)
class SlaTargets:
    first_response: timedelta
    resolution: timedelta


def sla_targets(polres: Unit, priority: str) -> SlaTargets:
    policy = SlaPolicy.objects.filter(polres=polres, priority=priority).first()
    if policy is not None:
        first, resolution = policy.first_response_minutes, policy.resolution_minutes
    else:
        first, resolution = DEFAULT_SLA_MINUTES[priority]
    return SlaTargets(timedelta(minutes=first), timedelta(minutes=resolution))


def due_times(polres: Unit, priority: str, received_at: datetime) -> tuple[datetime, datetime]:
    targets = sla_targets(polres, priority)
    return received_at + targets.first_response, received_at + targets.resolution
