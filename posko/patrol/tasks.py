"""Background tasks (Django Tasks API). Arguments are primitives; each task calls one action."""

from __future__ import annotations

from django_tasks import task

from posko.patrol.actions.matching import do_match_aduan
from posko.patrol.actions.spikes import do_detect_spikes


@task()
def match_aduan_claims(aduan_id: int) -> str:
    return do_match_aduan(aduan_id)


@task()
def detect_spikes(polres_id: int) -> int:
    from posko.org.models import Unit

    return len(do_detect_spikes(Unit.objects.get(pk=polres_id)))


@task()
def poll_feed(feed_id: int, token: str = "") -> str:
    """One link of a feed's polling chain (``token``: see ``posko.core.chains``)."""
    from posko.patrol.actions.feeds import do_poll_feed

    return do_poll_feed(feed_id, token)


@task()
def check_warning(warning_id: int) -> str:
    from posko.patrol.actions.warnings import do_check_warning

    return do_check_warning(warning_id)
