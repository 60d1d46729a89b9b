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


@task()
def generate_monthly_reports(month: str = "") -> int:
    """Last month's report of every Polres and Polda (or of ``month``, ``YYYY-MM``), then —
    for the scheduled chain (no ``month``) — the same task again on the next 1st at 01:00
    local time. Idempotent: a report generated already is not generated again."""
    from posko.metrics.actions.reports import (
        do_generate_due_reports,
        last_month,
        next_run,
    )
    from posko.metrics.report import parse_month

    generated = do_generate_due_reports(parse_month(month) if month else last_month())
    if not month:
        generate_monthly_reports.using(run_after=next_run()).enqueue()
    return generated


def monthly_reports_armed() -> bool:
    """Whether the scheduled chain has its next run waiting (database backend; on RQ the
    answer is unknown: False, and the idempotent generation makes a second chain harmless)."""
    from django.conf import settings

    if settings.POSKO_TASK_BACKEND != "database":
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=generate_monthly_reports.module_path, status=TaskResultStatus.READY
    ).values_list("args_kwargs", flat=True)
    return any(not (a.get("args") or a.get("kwargs")) for a in waiting)
