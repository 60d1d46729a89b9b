"""Background tasks (Django Tasks API). Arguments are primitives; each task calls one action."""

from __future__ import annotations

from django_tasks import task

from posko.aduan.actions.sla import do_check_sla_clocks, do_check_sla_deadline


@task()
def check_sla_clocks(
    aduan_id: int, first_response_due: str | None, resolution_due: str | None
) -> str:
    """The one SLA task of an aduan (it enqueues itself again for its later clock)."""
    return do_check_sla_clocks(aduan_id, first_response_due, resolution_due)


@task()
def check_sla_deadline(aduan_id: int, kind: str, due_iso: str) -> str:
    """One clock's check (tasks enqueued before ``check_sla_clocks`` existed)."""
    return do_check_sla_deadline(aduan_id, kind, due_iso)
