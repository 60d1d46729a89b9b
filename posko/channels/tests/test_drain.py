"""Batch drains of waiting inbound events: processed exactly once, a dead worker's batch
resumed by its lease, no committed event left without a drain (actions/drain.py)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from posko.aduan.models import Aduan
from posko.channels.actions import drain, inbound, store
from posko.channels.actions.inbound import MAX_EVENT_ATTEMPTS
from posko.channels.base import Parsed
from posko.channels.models import (
    ChannelAccount,
    ChannelMessage,
    Contact,
    ContactIdentity,
    DrainArm,
    EventState,
    InboundEvent,
)
from posko.channels.testing import compact, drain_queued, fixture_json
from posko.core.testing import run_tasks


class WorkerDied(BaseException):
    """Stands in for the process being killed (not an ``Exception``: nothing catches it)."""


def message(n: int, sender: int | None = None, text: str | None = None) -> bytes:
    payload = fixture_json("whatsapp", "message__text")
    item = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    if text is not None:
        item["text"]["body"] = text
    item["id"] = f"wamid.DRAIN{n}"
    item["from"] = f"6281{n if sender is None else sender:08d}"
    item["timestamp"] = str(int(timezone.now().timestamp()))
    return compact(payload)


def put(
    n: int, account: ChannelAccount, sender: int | None = None, text: str | None = None
) -> InboundEvent:
    body = message(n, sender, text)
    event = store.store_event(
        "whatsapp", body, {}, dedupe_key=store.body_key(body), account=account
    )
    assert event is not None
    return event


def drain_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="drain_inbound_events").count()


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=20)
def test_a_backlog_is_drained_in_batches_each_event_once(whatsapp_account: ChannelAccount) -> None:
    for n in range(65):
        put(n, whatsapp_account)
    assert drain_tasks() == 1  # one drain armed for the whole burst, not one task per event
    run_tasks()
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}
    assert set(InboundEvent.objects.values_list("attempts", flat=True)) == {1}
    assert ChannelMessage.objects.count() == Aduan.objects.count() == 65
    # The first drain, a helper armed per full batch, and one lease task per batch (not due).
    assert drain_tasks() <= 1 + 4 + 4
    assert not DrainArm.objects.filter(armed_at__isnull=False).exists()
    run_tasks()
    assert Aduan.objects.count() == 65
    put(100, whatsapp_account)  # idle again: the next event arms a new drain
    assert drain_queued()
    run_tasks()
    assert Aduan.objects.count() == 66


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=10, POSKO_DRAIN_LEASE_SECONDS=60)
def test_a_worker_dying_mid_batch_is_resumed_by_the_lease(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(10):
        put(n, whatsapp_account)
    original = inbound._process
    runs: list[int] = []

    def dies_after_three(event: InboundEvent, parsed: Parsed | None = None) -> str:
        if len(runs) == 3:
            raise WorkerDied
        runs.append(event.pk)
        return original(event, parsed)

    monkeypatch.setattr(inbound, "_process", dies_after_three)
    start = timezone.now()
    with pytest.raises(WorkerDied):
        drain.do_drain_events()
    monkeypatch.setattr(inbound, "_process", original)
    # The batch is one transaction: the three processed before the crash did not commit either
    # (no aduan without its event marked processed, nor the other way round).
    assert Aduan.objects.count() == 0 and ChannelMessage.objects.count() == 0
    left = InboundEvent.objects.filter(state=EventState.RECEIVED)
    assert left.count() == 10 and all(e.leased_until and e.leased_until > start for e in left)

    run_tasks()  # the webhook's drain runs, but the batch is still held by its lease
    assert Aduan.objects.count() == 0
    with time_machine.travel(start + timedelta(seconds=62), tick=False):
        run_tasks()  # the batch's lease task
    assert Aduan.objects.count() == ChannelMessage.objects.count() == 10
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}
    assert set(InboundEvent.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=10)
def test_a_conflict_inside_a_batch_runs_that_event_again_on_its_own(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside a batch the actions open no savepoint of their own: a unique conflict one of
    them would have resolved there (here: the message row a dead worker left pending before
    linking it) undoes the event's savepoint, and the event runs again on its own, where the
    pending row is resumed. Every message becomes one aduan; the others stay in the batch."""
    events = [put(n, whatsapp_account) for n in range(5)]
    contact = Contact.objects.create(display_name="Warga")
    identity = ContactIdentity.objects.create(
        contact=contact, platform="whatsapp", external_id=f"6281{3:08d}"
    )
    leftover = ChannelMessage.objects.create(
        account=whatsapp_account,
        external_id="wamid.DRAIN3",
        identity=identity,
        kind="direct",
        text="ditinggal setengah jalan",
    )
    alone: list[int] = []
    original = inbound.run_attempt

    def spy(event: InboundEvent) -> str:
        alone.append(event.pk)
        return original(event)

    monkeypatch.setattr(inbound, "run_attempt", spy)
    drain.do_drain_events()
    assert alone == [events[3].pk]
    assert Aduan.objects.count() == ChannelMessage.objects.count() == 5
    leftover.refresh_from_db()
    assert leftover.aduan is not None and leftover.state == "thread"
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=10)
def test_a_new_sender_writing_twice_in_one_batch_gets_one_aduan(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch reads which senders exist once; one created by an earlier event of the
    batch is found by the next, whose message joins that aduan's thread, in the batch."""
    put(1, whatsapp_account, sender=77)
    put(2, whatsapp_account, sender=77)
    alone: list[int] = []
    original = inbound.run_attempt

    def spy(event: InboundEvent) -> str:
        alone.append(event.pk)
        return original(event)

    monkeypatch.setattr(inbound, "run_attempt", spy)
    drain.do_drain_events()
    assert alone == []
    assert Aduan.objects.count() == 1 and ContactIdentity.objects.count() == 1
    assert ChannelMessage.objects.filter(aduan__isnull=False).count() == 2
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=10)
def test_a_failing_event_undoes_only_its_own_work_in_the_batch(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each event of a batch runs in a savepoint: a database error half-way through one
    event (here after it wrote a contact) rolls back that event alone."""
    for n in range(10):
        put(n, whatsapp_account)
    doomed = InboundEvent.objects.order_by("pk")[4].pk
    original = inbound._process

    def breaks_one(event: InboundEvent, parsed: Parsed | None = None) -> str:
        if event.pk != doomed:
            return original(event, parsed)
        Contact.objects.create(display_name="half-saved")
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")  # a real database error
        return "unreachable"

    monkeypatch.setattr(inbound, "_process", breaks_one)
    drain.do_drain_events()
    assert Aduan.objects.count() == 9
    assert not Contact.objects.filter(display_name="half-saved").exists()
    failed = InboundEvent.objects.get(pk=doomed)
    assert failed.state == EventState.RECEIVED and "no_such_table" in failed.error
    assert InboundEvent.objects.filter(state=EventState.PROCESSED).count() == 9


@pytest.mark.django_db(transaction=True)
@override_settings(POSKO_DRAIN_BATCH=20)
def test_a_batch_refreshes_the_metrics_once_and_commits_its_tasks_with_it(
    whatsapp_account: ChannelAccount,
) -> None:
    for n in range(20):
        put(n, whatsapp_account)
    DBTaskResult.objects.all().delete()  # the drain that put() armed; run it by hand
    drain.do_drain_events()
    assert Aduan.objects.count() == 20
    refresh = DBTaskResult.objects.filter(task_path__endswith="refresh_metrics")
    assert refresh.count() == 1  # one refresh for the batch's change notices, not 20 or 40
    (ids,) = refresh.get().args_kwargs["args"]
    assert sorted(ids) == sorted(Aduan.objects.values_list("pk", flat=True))
    # Every aduan's SLA check (one task for both clocks) was enqueued inside the batch's
    # transaction.
    sla = DBTaskResult.objects.filter(task_path__endswith="check_sla_clocks")
    assert {r.args_kwargs["args"][0] for r in sla} == set(
        Aduan.objects.values_list("pk", flat=True)
    )


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="SQLite serializes every writer (IMMEDIATE transactions); the shared in-memory test "
    "database cannot hold two concurrent transactions",
)
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_while_a_drain_starts_is_not_left_behind(
    whatsapp_account: ChannelAccount,
) -> None:
    """The race of arming: a webhook finds a drain queued (and enqueues none) while that
    drain starts. The drain's disarm waits for the webhook's commit, so it sees the event."""
    put(1, whatsapp_account)  # arms the drain
    assert drain_queued()
    stored_inside = threading.Event()
    commit_now = threading.Event()
    result: dict[str, Any] = {}

    def webhook() -> None:
        try:
            with transaction.atomic():
                result["event"] = put(2, whatsapp_account)  # finds the arm set: no new task
                stored_inside.set()
                commit_now.wait(10)
        finally:
            connections.close_all()

    def worker() -> None:
        try:
            result["drain"] = drain.do_drain_events()
        finally:
            connections.close_all()

    tasks_before = drain_tasks()
    hook = threading.Thread(target=webhook)
    hook.start()
    assert stored_inside.wait(10)
    runner = threading.Thread(target=worker)
    runner.start()
    runner.join(0.5)
    assert runner.is_alive()  # the drain waits for the webhook's transaction
    commit_now.set()
    hook.join(10)
    runner.join(30)
    assert result["drain"] == "2 events"
    assert Aduan.objects.count() == 2
    # The webhook enqueued no drain of its own (only the batch's lease task was added).
    assert drain_tasks() == tasks_before + 1


@pytest.mark.django_db(transaction=True)
def test_a_lost_enqueue_is_healed_by_the_sweep_and_by_a_stale_arm(
    whatsapp_account: ChannelAccount,
) -> None:
    """On a backend whose enqueue is not part of the transaction (RQ), a process can die
    between commit and enqueue: the arm says 'queued' but no drain exists."""
    put(1, whatsapp_account)
    DBTaskResult.objects.all().delete()  # the drain that was never enqueued
    run_tasks()
    assert Aduan.objects.count() == 0
    drain.do_sweep_waiting_events()
    run_tasks()
    assert Aduan.objects.count() == 1
    assert drain.do_sweep_waiting_events() == "nothing waiting"

    put(2, whatsapp_account)
    DBTaskResult.objects.all().delete()
    with time_machine.travel(timezone.now() + drain.ARM_STALE + timedelta(seconds=5)):
        put(3, whatsapp_account)  # the arm is stale: this webhook enqueues a drain again
        assert drain_queued()
        run_tasks()
    assert Aduan.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_an_event_out_of_attempts_fails_instead_of_being_claimed(
    whatsapp_account: ChannelAccount,
) -> None:
    event = put(1, whatsapp_account)
    InboundEvent.objects.filter(pk=event.pk).update(attempts=MAX_EVENT_ATTEMPTS)
    run_tasks()
    event.refresh_from_db()
    assert event.state == EventState.FAILED and Aduan.objects.count() == 0


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="needs two concurrent transactions (SQLite serializes every writer)",
)
@pytest.mark.django_db(transaction=True)
def test_an_event_meeting_a_row_locked_elsewhere_waits_outside_the_batch(
    whatsapp_account: ChannelAccount,
) -> None:
    """A follow-up to an aduan another transaction holds: the batch does not wait for it with
    its own locks held (no deadlock between two workers); the event is processed on its own
    after the batch commits, as a first attempt, not a failure."""
    put(1, whatsapp_account)
    drain.do_drain_events()
    (first,) = Aduan.objects.all()
    places = ["Manggar", "Gantung", "Dendang", "Kelapa Kampit"]
    for n, place in enumerate(places, start=2):  # unrelated reports: no incident with ``first``
        put(n, whatsapp_account, text=f"Lampu jalan di {place} mati sejak tiga hari ({n})")
    put(6, whatsapp_account, sender=1, text="Pak, ini tambahan info laporan saya")
    locked = threading.Event()
    seen: dict[str, int] = {}

    def officer_holds_the_aduan() -> None:
        """Holds ``first`` until the batch's four new aduan are committed (at most 10 s)."""
        try:
            with transaction.atomic():
                Aduan.objects.select_for_update().get(pk=first.pk)
                locked.set()
                for _ in range(100):
                    seen["while_locked"] = Aduan.objects.count()
                    if seen["while_locked"] >= 5:
                        break
                    time.sleep(0.1)
        finally:
            connections.close_all()

    holder = threading.Thread(target=officer_holds_the_aduan)
    holder.start()
    assert locked.wait(10)
    drain.do_drain_events()
    holder.join(15)
    # The batch committed while the row was still held: it did not wait with its locks held.
    assert seen["while_locked"] == 5
    assert Aduan.objects.count() == 5  # four new aduan; the follow-up joined ``first``
    assert first.messages.count() == 2
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {EventState.PROCESSED}
    assert set(InboundEvent.objects.values_list("attempts", flat=True)) == {1}
