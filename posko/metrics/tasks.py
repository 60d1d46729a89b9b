"""Background tasks of the metrics layer (Django Tasks API)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks import task

from posko.core.chains import ChainSpec
from posko.metrics.actions.refresh import do_refresh_metrics

# A month's generation of every Polres's and Polda's PDF counts as alive this long.
MONTHLY_LEASE = timedelta(hours=2)


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


MONTHLY_KEY = "metrics.monthly_reports"


@task()
def generate_monthly_reports(month: str = "", token: str = "") -> int:
    """Last month's report of every Polres and Polda (or of ``month``, ``YYYY-MM``). A link
    of the scheduled chain (``token``, see ``posko.core.chains``) then enqueues the same task
    on the next 1st at 01:00 local time; a stale link does nothing. Idempotent: a report
    generated already is not generated again."""
    from posko.core import chains
    from posko.metrics.actions.reports import do_generate_due_reports, last_month, next_run
    from posko.metrics.report import parse_month

    if month:
        return do_generate_due_reports(parse_month(month))
    if token and not chains.begin(MONTHLY_KEY, token, lease=MONTHLY_LEASE):
        return 0
    generated = do_generate_due_reports(last_month())
    if token:
        chains.advance(MONTHLY_KEY, token, _start_monthly, next_run(), f"{generated} laporan")
    return generated


def _start_monthly(token: str, run_at: datetime) -> object:
    return generate_monthly_reports.using(run_after=run_at).enqueue("", token)


def monthly_chain() -> ChainSpec:
    """The chain of scheduled monthly reports (next 1st, 01:00 local time)."""
    from posko.metrics.actions.reports import next_run

    return ChainSpec(MONTHLY_KEY, _start_monthly, next_run, margin=timedelta(hours=1))
