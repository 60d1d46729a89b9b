"""Draining waiting inbound events in batches: few tasks, cheap claims, nothing left behind.

The event row is the work item (a transactional outbox); the task backend only wakes drains.
One task per event would make every claim of django-tasks-db's worker scan a queue as long as
the backlog (12–35 ms per claim at 25,000 waiting); a drain claims ``DRAIN_BATCH`` events at
once from Posko's own table (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, the
``inbound_event_waiting`` partial index) and processes them in one transaction with a
savepoint per event (``inbound.run_batch``): one commit per batch, not several per message.

**Arming.** ``arm_drain`` runs as the last statement of every transaction that stores events.
It locks the ``DrainArm`` row (``FOR NO KEY UPDATE``; SQLite's IMMEDIATE transactions
serialize writers anyway) and, unless a drain is already queued and not yet started
(``armed_at`` set), sets ``armed_at`` and enqueues a drain in the same transaction.
A drain, before it reads any event, *disarms* in a transaction of its own
(``UPDATE … SET armed_at = NULL``).

**Why no committed event is left without a drain.** Take an event E stored by transaction W.
(a) W found the arm idle: W enqueued a drain itself, committed with E. (b) W found it armed by
a drain D that had not started. W held the row lock from that check to its commit, and D's
disarm must take the same lock, so D's disarm commits after W's commit and D's first claim
(a later statement) sees E. (c) D disarmed before W's check: then W found the arm idle — (a).
A drain that finds the arm armed for longer than ``ARM_STALE`` arms again (an enqueue lost
when a process died between commit and enqueue on a non-transactional backend such as RQ);
``sweep_waiting_events`` (scheduled through the task backend) covers a quiet system.

**Leases.** Claiming a batch counts an attempt for each event, sets ``leased_until`` and
enqueues, in the same transaction, one lease task for the whole batch (a drain due when the
lease ends). A worker that dies mid-batch leaves its events ``received`` with an expired lease;
the lease task (or any later drain) claims them again. Each message is claimed once
(``ChannelMessage`` unique per account + id, linked inside the aduan's transaction), so a
resumed or slow batch never makes a second aduan; ``MAX_EVENT_ATTEMPTS`` caps every path.

**Parallelism.** A drain that claimed a full batch arms again, so an idle worker picks up a
second drain while the first works; a drain stops after ``DRAIN_MAX_BATCHES`` batches and
leaves the rest to a fresh drain so that other tasks (replies going out) get their turn.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from posko.channels.models import DrainArm, EventState, InboundEvent

log = logging.getLogger(__name__)

ARM_NAME = "inbound"
ARM_STALE = timedelta(minutes=2)
DRAIN_MAX_BATCHES = 40


def batch_size() -> int:
    return int(getattr(settings, "POSKO_DRAIN_BATCH", 50))


def batch_lease() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "POSKO_DRAIN_LEASE_SECONDS", 300)))


def arm_drain() -> bool:
    """Make sure a drain that has not started yet is queued. Call inside the transaction that
    stored the events, as its last statement. True when this call enqueued one."""
    from posko.channels.tasks import drain_inbound_events

    now = timezone.now()
    arm = DrainArm.objects.select_for_update(no_key=True).filter(pk=ARM_NAME).first()
    if arm is None:
        try:
            with transaction.atomic():
                DrainArm.objects.create(name=ARM_NAME, armed_at=now)
        except IntegrityError:  # created meanwhile by another transaction: lock that row
            arm = DrainArm.objects.select_for_update(no_key=True).get(pk=ARM_NAME)
        else:
            drain_inbound_events.enqueue()
            return True
    if arm.armed_at is not None and arm.armed_at > now - ARM_STALE:
        return False
    DrainArm.objects.filter(pk=ARM_NAME).update(armed_at=now)
    drain_inbound_events.enqueue()
    return True


def _disarm() -> None:
    with transaction.atomic():
        DrainArm.objects.filter(pk=ARM_NAME).update(armed_at=None)


def waiting(now: object) -> Q:
    return Q(state=EventState.RECEIVED) & (Q(leased_until__isnull=True) | Q(leased_until__lt=now))


def claim_batch(size: int) -> list[InboundEvent]:
    """Lease up to ``size`` waiting events to this drain (an attempt each), with one lease task
    for the batch; events out of attempts become ``failed``."""
    from posko.channels.actions.inbound import MAX_EVENT_ATTEMPTS
    from posko.channels.tasks import drain_inbound_events

    with transaction.atomic():
        now = timezone.now()
        events = list(
            InboundEvent.objects.select_for_update(skip_locked=True)
            .filter(waiting(now))
            .order_by("pk")[:size]
        )
        if not events:
            return []
        spent = [e.pk for e in events if e.attempts >= MAX_EVENT_ATTEMPTS]
        if spent:
            InboundEvent.objects.filter(pk__in=spent).update(
                state=EventState.FAILED, processed_at=now
            )
        claimed = [e for e in events if e.pk not in spent]
        until = now + batch_lease()
        InboundEvent.objects.filter(pk__in=[e.pk for e in claimed]).update(
            attempts=F("attempts") + 1, leased_until=until
        )
        for event in claimed:
            event.attempts += 1
            event.leased_until = until
        if claimed:
            drain_inbound_events.using(run_after=until + timedelta(seconds=1)).enqueue()
        if len(events) == size:
            arm_drain()  # more is waiting: let an idle worker help
    return claimed or claim_batch(size)


def do_drain_events() -> str:
    """Process waiting events batch by batch until none is left (or the run's share is used)."""
    from posko.channels.actions.inbound import run_batch

    _disarm()
    size = batch_size()
    done = 0
    for _ in range(DRAIN_MAX_BATCHES):
        batch = claim_batch(size)
        run_batch(batch)
        done += len(batch)
        if len(batch) < size:
            return f"{done} events"
    with transaction.atomic():
        arm_drain()  # the rest goes to a fresh drain, after whatever else is queued
    return f"{done} events (more waiting)"


def do_sweep_waiting_events() -> str:
    """Periodic safety net: arm a drain when events wait (e.g. a lost enqueue on RQ)."""
    now = timezone.now()
    if not InboundEvent.objects.filter(waiting(now)).exists():
        return "nothing waiting"
    _disarm()
    with transaction.atomic():
        arm_drain()
    return "drain armed"
