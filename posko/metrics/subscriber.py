"""The metrics layer listens to aduan's after-commit change notices: it refreshes the
aggregates in a task, and opens the satisfaction question when an aduan is closed as selesai."""

from __future__ import annotations

from django.conf import settings

from posko.aduan.events import EventKind

# Every change moves a figure, except a new message in the thread.
COUNTED = frozenset(EventKind) - {EventKind.PUBLIC_REPLY, EventKind.INCOMING_MESSAGE}


def on_aduan_event(kind: EventKind, aduan_id: int) -> None:
    if kind not in COUNTED or not getattr(settings, "POSKO_METRICS_LIVE", True):
        return
    from posko.metrics.tasks import ask_satisfaction, refresh_metrics

    refresh_metrics.enqueue([aduan_id])
    if kind == EventKind.STATUS_CHANGED:
        ask_satisfaction.enqueue(aduan_id)
