"""The metrics layer listens to aduan's after-commit events and refreshes in a task."""

from __future__ import annotations

from django.conf import settings


def on_aduan_event(kind: str, aduan_id: int) -> None:
    if not getattr(settings, "POSKO_METRICS_LIVE", True):
        return
    from posko.metrics.tasks import refresh_metrics

    refresh_metrics.enqueue([aduan_id])
