"""The metrics layer listens to aduan's after-commit change notices: it refreshes the
aggregates in a task, and opens the satisfaction question when an aduan is closed as selesai."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from posko.aduan.events import ChangeNotice, EventKind

# Every change moves a figure, except a new message in the thread.
COUNTED = frozenset(EventKind) - {EventKind.PUBLIC_REPLY, EventKind.INCOMING_MESSAGE}


# One refresh task covers at most this many aduan (a batch of the drain is 50).
REFRESH_CHUNK = 200


def on_aduan_changes(notices: Sequence[ChangeNotice]) -> None:
    """One refresh task per chunk of changed aduan; the satisfaction question for each aduan
    whose status changed (the task asks only when it is selesai)."""
    if not getattr(settings, "POSKO_METRICS_LIVE", True):
        return
    from posko.metrics.tasks import ask_satisfaction, refresh_metrics

    changed = sorted({aduan_id for kind, aduan_id in notices if kind in COUNTED})
    for start in range(0, len(changed), REFRESH_CHUNK):
        refresh_metrics.enqueue(changed[start : start + REFRESH_CHUNK])
    status_changed = {aduan_id for kind, aduan_id in notices if kind == EventKind.STATUS_CHANGED}
    for aduan_id in sorted(status_changed):
        ask_satisfaction.enqueue(aduan_id)
