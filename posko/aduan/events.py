"""A tiny after-commit event seam: aduan actions announce "aduan N changed (kind)" and other
apps (the metrics layer) subscribe without aduan importing them.

``fire`` is called inside an action's transaction; subscribers run after the commit (never on
a rollback), each with ``(kind, aduan_id)``. Subscribers must be quick (enqueue a task).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

Subscriber = Callable[[str, int], None]

_subscribers: list[Subscriber] = []

# The kinds actions fire (a subscriber may ignore any of them).
CREATED = "created"
ASSIGNED = "assigned"
STATUS_CHANGED = "status_changed"
RESPONDED = "responded"
LABELS_CORRECTED = "labels_corrected"
PRIORITY_RAISED = "priority_raised"
ESCALATED = "escalated"
SUBJECT_SET = "subject_set"
SATISFACTION = "satisfaction"


def subscribe(subscriber: Subscriber) -> None:
    """Register ``subscriber`` (idempotent: registering the same function twice is a no-op)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def fire(kind: str, aduan_id: int) -> None:
    """Announce a change of ``aduan_id``; subscribers are called once the transaction commits."""

    def deliver() -> None:
        for subscriber in list(_subscribers):
            subscriber(kind, aduan_id)

    transaction.on_commit(deliver)
