"""Crash windows: a worker dying half-way through processing an event or sending a reply.

Processing links the channel message to its aduan in the aduan's own transaction, so a replay
can never make a second aduan; an attempt that died is resumed by its lease (a later run of
the same task enqueued in the transaction that started the attempt)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from posko.aduan.actions import do_add_message
from posko.aduan.models import Aduan, AduanMessage
from posko.channels.actions import inbound
from posko.channels.actions.inbound import (
    EVENT_LEASE,
    AlreadyLinked,
    create_aduan_from_message,
    do_process_event,
    store_event,
)
from posko.channels.actions.outbound import SEND_LEASE, do_send_delivery
from posko.channels.conftest import WA_PHONE_ID
from posko.channels.models import (
    ChannelAccount,
    ChannelMessage,
    ChannelMessageState,
    Conversation,
    DeliveryState,
    EventState,
    InboundEvent,
    OutboundDelivery,
)
from posko.channels.testing import FakeApi, compact, fixture_json
from posko.channels.whatsapp import adapter as whatsapp_adapter
from posko.core.testing import run_tasks
from posko.org.models import Officer

SEND_PATH = rf"/v23\.0/{WA_PHONE_ID}/messages"


class WorkerDied(BaseException):
    """Stands in for the process being killed (not an ``Exception``: nothing catches it)."""


def fresh(name: str, text: str | None = None) -> bytes:
    payload = fixture_json("whatsapp", name)
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int(timezone.now().timestamp()))
    if text is not None:
        message["text"]["body"] = text
    return compact(payload)


def stored(body: bytes, account: ChannelAccount) -> InboundEvent:
    event = store_event("whatsapp", body, {}, dedupe_key=inbound.body_key(body), account=account)
    assert event is not None
    return event


@pytest.mark.django_db(transaction=True)
def test_crash_while_creating_the_aduan_leaves_nothing_and_replay_makes_one(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = stored(fresh("message__text"), whatsapp_account)
    original = Conversation.objects.create

    def dies(**kwargs: Any) -> Conversation:
        raise WorkerDied

    monkeypatch.setattr(Conversation.objects, "create", dies)
    with pytest.raises(WorkerDied):
        do_process_event(event.pk)
    # The aduan's transaction was rolled back with the link: no orphan aduan.
    assert Aduan.objects.count() == 0
    message = ChannelMessage.objects.get()
    assert message.state == ChannelMessageState.PENDING and message.aduan_id is None

    monkeypatch.setattr(Conversation.objects, "create", original)
    assert do_process_event(event.pk) == "processed"
    assert do_process_event(event.pk) == "processed"  # replay once more: still one aduan
    aduan = Aduan.objects.get()
    message.refresh_from_db()
    assert message.aduan_id == aduan.pk and message.state == ChannelMessageState.THREAD
    assert aduan.messages.count() == 1


@pytest.mark.django_db(transaction=True)
def test_second_run_on_an_already_linked_message_creates_no_aduan(
    whatsapp_account: ChannelAccount,
) -> None:
    event = stored(fresh("message__text"), whatsapp_account)
    do_process_event(event.pk)
    message = ChannelMessage.objects.get()
    # A concurrent worker that read the message while it was still pending, and gets to the
    # create step second, is refused inside the aduan's transaction.
    message.state = ChannelMessageState.PENDING
    with pytest.raises(AlreadyLinked):
        create_aduan_from_message(whatsapp_account, message)
    assert Aduan.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_crash_while_adding_a_followup_and_replay_adds_it_once(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    do_process_event(stored(fresh("message__text"), whatsapp_account).pk)
    followup = stored(fresh("message__text_followup"), whatsapp_account)
    original = inbound._link

    def dies(*args: Any) -> None:
        raise WorkerDied

    monkeypatch.setattr(inbound, "_link", dies)
    with pytest.raises(WorkerDied):
        do_process_event(followup.pk)
    aduan = Aduan.objects.get()
    assert aduan.messages.count() == 1

    monkeypatch.setattr(inbound, "_link", original)
    do_process_event(followup.pk)
    do_process_event(followup.pk)
    assert aduan.messages.count() == 2
    assert ChannelMessage.objects.filter(aduan=aduan).count() == 2


@pytest.mark.django_db(transaction=True)
def test_event_whose_worker_died_is_resumed_by_its_lease(
    whatsapp_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = stored(fresh("message__text"), whatsapp_account)
    DBTaskResult.objects.all().delete()  # the webhook's task is the run that dies below
    start = timezone.now()
    original = inbound.do_ingest_message

    def dies(*args: Any) -> str:
        raise WorkerDied

    monkeypatch.setattr(inbound, "do_ingest_message", dies)
    with pytest.raises(WorkerDied):
        do_process_event(event.pk)
    monkeypatch.setattr(inbound, "do_ingest_message", original)
    event.refresh_from_db()
    assert event.state == EventState.RECEIVED and event.attempts == 1

    run_tasks()  # nothing is due yet
    assert Aduan.objects.count() == 0
    with time_machine.travel(start + EVENT_LEASE + timedelta(minutes=1), tick=False):
        run_tasks()
    event.refresh_from_db()
    assert event.state == EventState.PROCESSED and event.attempts == 2
    assert Aduan.objects.count() == 1
    # The lease of the finished second attempt does nothing.
    with time_machine.travel(start + 3 * EVENT_LEASE, tick=False):
        run_tasks()
    event.refresh_from_db()
    assert event.attempts == 2 and Aduan.objects.count() == 1
    assert do_process_event(event.pk, lease_of=1) == "lease: nothing to resume"


@pytest.mark.django_db(transaction=True)
def test_delivery_stuck_in_sending_is_sent_again_after_its_lease(
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    do_process_event(stored(fresh("message__text"), whatsapp_account).pk)
    aduan = Aduan.objects.get()
    run_tasks()
    fake_api.route(
        "POST", SEND_PATH, json={"messaging_product": "whatsapp", "messages": [{"id": "wamid.X"}]}
    )
    original = whatsapp_adapter.send

    def dies(*args: Any) -> str:
        raise WorkerDied

    monkeypatch.setattr(whatsapp_adapter, "send", dies)
    message = do_add_message(
        aduan, "Petugas menuju lokasi.", public=True, acting_user=officers["operator"].user
    )
    delivery = OutboundDelivery.objects.get(message=message)
    with pytest.raises(WorkerDied):
        do_send_delivery(delivery.pk)
    monkeypatch.setattr(whatsapp_adapter, "send", original)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING and delivery.attempts == 1
    # Another run inside the lease (e.g. the queued send task) leaves the attempt alone.
    assert do_send_delivery(delivery.pk) == "in progress"
    assert fake_api.calls("POST", SEND_PATH) == []

    with time_machine.travel(timezone.now() + SEND_LEASE + timedelta(minutes=1), tick=False):
        run_tasks()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    assert len(fake_api.calls("POST", SEND_PATH)) == 1
    assert AduanMessage.objects.get(pk=message.pk).delivery_state == "sent"
