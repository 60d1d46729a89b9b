from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.transaction import Atomic
from django.utils import timezone

from posko.aduan import events
from posko.aduan.audit import buffered_audit
from posko.aduan.audit import record_audit as record_audit
from posko.aduan.models import Aduan
from posko.aduan.models.choices import PRIORITY_RANK
from posko.aduan.sla import due_times
from posko.core.outbox import enqueue_with_transaction
from posko.org.models import Unit

_composed: ContextVar[bool] = ContextVar("posko_composed_actions", default=False)
_one_savepoint: ContextVar[bool] = ContextVar("posko_one_savepoint", default=False)


def action_atomic() -> Atomic:
    """The transaction of one action: durable (never silently inside a caller's transaction),
    except inside ``composed_actions()``, where several actions share one transaction."""
    return transaction.atomic(durable=not _composed.get(), savepoint=not _one_savepoint.get())


def nested_atomic() -> Atomic:
    """A block inside an action that may be undone alone (its own savepoint), except inside
    ``one_savepoint()``: there it opens none."""
    return transaction.atomic(savepoint=not _one_savepoint.get())


@contextmanager
def one_savepoint() -> Iterator[None]:
    """Inside the savepoint the caller has just opened (the drain's one per event): the actions
    called open no savepoint of their own (``action_atomic``, ``nested_atomic``) — two round
    trips saved per nested block — and their audit rows are written together when the block
    ends (one INSERT). The price: an error anywhere, even one an action would catch and
    recover from in its own savepoint, undoes the caller's whole savepoint, so the caller must
    treat every error (and a savepoint marked for rollback) as "run this again on its own"."""
    token = _one_savepoint.set(True)
    try:
        with buffered_audit():
            yield
    finally:
        _one_savepoint.reset(token)


def in_one_savepoint() -> bool:
    return _one_savepoint.get()


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
    """Enqueue (with the transaction) the escalation check for the aduan's current due times:
    one task for both clocks, run at the earlier one, which enqueues itself again for the
    later (``do_check_sla_clocks``). A check whose due time has moved since does nothing."""
    first_due, resolution_due = aduan.first_response_due, aduan.resolution_due
    enqueue_sla_clocks(
        aduan.pk,
        first_due.isoformat() if first_due is not None else None,
        resolution_due.isoformat() if resolution_due is not None else None,
    )


def enqueue_sla_clocks(
    aduan_id: int, first_response_due: str | None, resolution_due: str | None
) -> None:
    """Enqueue (with the transaction) the SLA task for these clocks, at the earliest due time."""
    from posko.aduan.tasks import check_sla_clocks

    dues = [datetime.fromisoformat(d) for d in (first_response_due, resolution_due) if d]
    if not dues:
        return

    def enqueue() -> None:
        check_sla_clocks.using(run_after=min(dues)).enqueue(
            aduan_id, first_response_due, resolution_due
        )

    enqueue_with_transaction(enqueue)


def lift_priority(
    aduan: Aduan, target: str, polres: Unit, *, actor: User | None, **why: object
) -> None:
    """Within the caller's transaction: raise ``aduan`` to ``target`` (the caller has checked
    that it is higher). Its SLA due times follow the new priority, the audit row says why, and
    PRIORITY_RAISED is announced (the metrics' deadline rows and the live inbox follow)."""
    before = aduan.priority
    aduan.priority = target
    aduan.priority_rank = PRIORITY_RANK[target]
    aduan.first_response_due, aduan.resolution_due = due_times(polres, target, aduan.received_at)
    touch(aduan, "priority", "priority_rank", "first_response_due", "resolution_due")
    schedule_sla_checks(aduan)
    record_audit(aduan, "priority_raised", actor=actor, before=before, after=target, **why)
    events.emit(events.EventKind.PRIORITY_RAISED, aduan)
