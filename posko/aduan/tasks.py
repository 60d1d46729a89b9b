"""Background tasks (Django Tasks API). Arguments are primitives; each task calls one action."""

from __future__ import annotations

from django_tasks import task

from posko.aduan.actions.sla import do_check_sla_deadline


@task()
def check_sla_deadline(aduan_id: int, kind: str, due_iso: str) -> str:
    return do_check_sla_deadline(aduan_id, kind, due_iso)
