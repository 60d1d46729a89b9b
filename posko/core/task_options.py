"""Task options that only some task backends support.

The database backend orders work by priority (processing of acknowledged messages before due
housekeeping, see ``channels/tasks.py``); RQ has no priorities — its queue is first in, first
out, so scheduled housekeeping cannot starve processing there in the first place.
"""

from __future__ import annotations

from typing import TypedDict

from django_tasks import task_backends


class PriorityOption(TypedDict, total=False):
    priority: int


def with_priority(value: int) -> PriorityOption:
    """``priority=value`` for ``@task(...)``/``.using(...)`` where the backend honours it."""
    return {"priority": value} if task_backends["default"].supports_priority else {}
