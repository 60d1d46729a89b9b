"""Background tasks of the metrics layer (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from posko.metrics.actions.refresh import do_refresh_metrics


@task()
def refresh_metrics(aduan_ids: list[int]) -> int:
    """Bring the aggregate rows of these aduan up to date; returns the rows touched."""
    return do_refresh_metrics(aduan_ids)
