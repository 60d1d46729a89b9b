"""The metrics layer listens to aduan's after-commit events: it refreshes the aggregates in a
task, and opens the satisfaction question when an aduan is closed as selesai."""

from __future__ import annotations

from django.conf import settings

from posko.aduan import events


def on_aduan_event(kind: str, aduan_id: int) -> None:
    if not getattr(settings, "POSKO_METRICS_LIVE", True):
        return
    from posko.metrics.tasks import ask_satisfaction, refresh_metrics

    refresh_metrics.enqueue([aduan_id])
    if kind == events.STATUS_CHANGED:
        ask_satisfaction.enqueue(aduan_id)
