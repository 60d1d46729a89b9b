"""Formatting figures of the metrics layer: durations, percentages, suppressed small counts
(``posko.metrics.formatting``, where the command view's tables format theirs too)."""

from __future__ import annotations

from django import template

from posko.metrics.formatting import Numbers
from posko.metrics.queries import SMALL

register = template.Library()


@register.filter
def duration(minutes: float | None) -> str:
    """12 mnt · 3,4 jam · 2,1 hari; an em dash when unknown."""
    return Numbers().duration(minutes)


@register.filter
def pct(value: float | None) -> str:
    return Numbers().pct(value)


@register.filter
def suppress(count: int | None) -> str:
    """Counts from 1 to 4 are shown as "<5" so no single report can be recognised."""
    return Numbers().suppress(count)


@register.filter
def enough(count: int | None) -> bool:
    """Whether a figure based on ``count`` aduan may be shown publicly."""
    return bool(count) and int(count or 0) >= SMALL


@register.filter
def chart_value(count: int | None) -> int:
    """The number a public chart may draw (0 for suppressed counts)."""
    return int(count or 0) if (count or 0) >= SMALL else 0


@register.filter
def minutes_value(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes:.1f}"
