"""Background tasks (Django Tasks API). Arguments are primitives; each task calls one action."""

from __future__ import annotations

from django_tasks import task

from posko.patrol.actions.matching import do_match_aduan


@task()
def match_aduan_claims(aduan_id: int) -> str:
    return do_match_aduan(aduan_id)
