"""Tasks enqueued with the change that calls for them (core/outbox.py)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from posko.core import outbox
from posko.core.memo import batch_memo, memoized
from posko.metrics.tasks import refresh_metrics


class Undo(Exception):
    pass


def queued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="refresh_metrics").count()


@pytest.mark.database_queue
@pytest.mark.django_db(transaction=True)
def test_on_the_database_queue_a_task_commits_or_rolls_back_with_the_change() -> None:
    assert outbox.queue_is_transactional()
    with transaction.atomic():
        outbox.enqueue_with_transaction(lambda: refresh_metrics.enqueue([1]))
        assert queued() == 1  # written inside the transaction, not after it
    assert queued() == 1
    with pytest.raises(Undo), transaction.atomic():
        outbox.enqueue_with_transaction(lambda: refresh_metrics.enqueue([2]))
        raise Undo
    assert queued() == 1  # the rolled-back change left no task behind


@pytest.mark.django_db(transaction=True)
def test_on_another_backend_the_task_waits_for_the_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outbox, "queue_is_transactional", lambda: False)
    calls: list[str] = []
    with transaction.atomic():
        outbox.enqueue_with_transaction(lambda: calls.append("committed"))
        assert calls == []
    assert calls == ["committed"]
    with pytest.raises(Undo), transaction.atomic():
        outbox.enqueue_with_transaction(lambda: calls.append("rolled back"))
        raise Undo
    assert calls == ["committed"]


def test_memo_lasts_one_batch_and_nothing_outside_it() -> None:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert memoized("k", read) == 1 and memoized("k", read) == 2  # no batch: always read
    with batch_memo():
        assert memoized("k", read) == 3 and memoized("k", read) == 3
    with batch_memo():
        assert memoized("k", read) == 4  # a new batch reads again
