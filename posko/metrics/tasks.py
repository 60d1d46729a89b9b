"""Background tasks of the metrics layer (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from posko.metrics.actions.refresh import do_refresh_metrics


@task()
def refresh_metrics(aduan_ids: list[int]) -> int:
    """Bring the aggregate rows of these aduan up to date; returns the rows touched."""
    return do_refresh_metrics(aduan_ids)


@task()
def ask_satisfaction(aduan_id: int) -> str:
    from posko.metrics.actions.satisfaction import do_ask_satisfaction

    return do_ask_satisfaction(aduan_id)


@task()
def remind_satisfaction(aduan_id: int) -> str:
    from posko.metrics.actions.satisfaction import do_remind_satisfaction

    return do_remind_satisfaction(aduan_id)
