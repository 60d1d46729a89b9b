"""Formatting figures of the metrics layer: durations, percentages, suppressed small counts."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from posko.metrics.queries import SMALL

register = template.Library()


@register.filter
def duration(minutes: float | None) -> str:
    """12 mnt · 3,4 jam · 2,1 hari; an em dash when unknown."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return _("%(n)s mnt") % {"n": number_format(round(minutes), 0)}
    if minutes < 48 * 60:
        return _("%(n)s jam") % {"n": number_format(minutes / 60, 1)}
    return _("%(n)s hari") % {"n": number_format(minutes / 1440, 1)}


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value, 1)} %"


@register.filter
def suppress(count: int | None) -> str:
    """Counts from 1 to 4 are shown as "<5" so no single report can be recognised."""
    if not count:
        return "0"
    return f"<{SMALL}" if count < SMALL else number_format(count, 0, force_grouping=True)


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
