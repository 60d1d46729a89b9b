from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.transaction import Atomic
from django.utils import timezone

from posko.aduan import events
from posko.aduan.audit import record_audit as record_audit
from posko.aduan.models import Aduan
from posko.core.outbox import enqueue_with_transaction

_composed: ContextVar[bool] = ContextVar("posko_composed_actions", default=False)


def action_atomic() -> Atomic:
    """The transaction of one action: durable (never silently inside a caller's transaction),
    except inside ``composed_actions()``, where several actions share one transaction."""
    return transaction.atomic(durable=not _composed.get())


@contextmanager
def composed_actions() -> Iterator[None]:
    """One transaction around several actions (bulk changes, macros, sending an approved
    reply, a drain's batch of incoming messages): each action still checks its actor and
    writes its own audit row; the first refusal or error rolls every one of them back, unless
    the caller keeps each in a savepoint of its own (the drain). Tasks are enqueued with the
    transaction, effects after commit once the whole transaction commits, and the change
    notices of all of them reach the listeners together (``events.notices_held``)."""
    token = _composed.set(True)
    try:
        with events.notices_held(), transaction.atomic(durable=True):
            yield
    finally:
        _composed.reset(token)


def lock_aduan(aduan: Aduan) -> Aduan:
    """Re-read the aduan under a row lock inside the current transaction."""
    return Aduan.objects.select_for_update().get(pk=aduan.pk)


def touch(aduan: Aduan, *fields: str) -> None:
    aduan.updated_at = timezone.now()
    aduan.save(update_fields=[*fields, "updated_at"])


def schedule_sla_checks(aduan: Aduan) -> None:
    """Enqueue (with the transaction) the escalation checks for the aduan's current due times."""
    from posko.aduan.tasks import check_sla_deadline

    first_due, resolution_due, pk = aduan.first_response_due, aduan.resolution_due, aduan.pk

    def enqueue() -> None:
        if first_due is not None:
            check_sla_deadline.using(run_after=first_due).enqueue(
                pk, "first_response", first_due.isoformat()
            )
        if resolution_due is not None:
            check_sla_deadline.using(run_after=resolution_due).enqueue(
                pk, "resolution", resolution_due.isoformat()
            )

    enqueue_with_transaction(enqueue)
