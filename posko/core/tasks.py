"""Background tasks of core (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def ensure_task_chains(token: str = "") -> str:
    from posko.core.chains import do_periodic_ensure

    return do_periodic_ensure(token)
