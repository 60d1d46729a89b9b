"""Enqueueing a task as part of the change that calls for it.

With the database task backend (django-tasks-db, the default) the queue is a table of this same
database: a task enqueued inside the transaction commits or rolls back with the change itself —
a transactional outbox — and costs no commit of its own. Enqueueing after commit instead would
spend one more commit (one more WAL flush) per task, and a process that died between the commit
and the enqueue would lose the task. Other backends (RQ on Redis) are outside the transaction:
there the task is enqueued after commit, so that a worker never sees work that rolled back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django_tasks import task_backends

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def queue_is_transactional() -> bool:
    backend = task_backends["default"]
    return f"{type(backend).__module__.split('.')[0]}.{type(backend).__name__}" == DATABASE_BACKEND


def enqueue_with_transaction(enqueue: Callable[[], object]) -> None:
    """Run ``enqueue`` (a closure calling ``task.enqueue(...)``) inside the current transaction
    where the queue shares it, otherwise once the transaction has committed."""
    if queue_is_transactional() and transaction.get_connection().in_atomic_block:
        enqueue()
    else:
        transaction.on_commit(enqueue)
