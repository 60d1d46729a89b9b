"""What the channels do when an aduan changes: the subscribers to aduan's events
(``posko.aduan.events``), connected in ``ChannelsConfig.ready``.

Each runs inside the aduan action's transaction and only records and enqueues: the citizen's
status notice is composed and queued by a task enqueued with the transaction
(``actions.notices.do_send_status_notice``); an officer's public reply gets its delivery row,
sent by a task enqueued with it (``dispatch.prepare_delivery``). The aduan domain knows none
of this.
"""

from __future__ import annotations

from posko.aduan.events import AduanEvent, EventKind, register_reply_gate, subscribe
from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.channels.dispatch import check_reply_allowed, prepare_delivery
from posko.channels.models import NoticeEvent, Platform
from posko.core.outbox import enqueue_with_transaction

STATUS_EVENTS = {
    Status.SELESAI: NoticeEvent.RESOLVED,
    Status.DITOLAK: NoticeEvent.REJECTED,
    Status.DIALIHKAN: NoticeEvent.REDIRECTED,
}


def _enqueue_notice(aduan: Aduan, event: str, reason: str = "") -> None:
    if aduan.channel not in Platform.values:
        return  # web, telephone, walk-in …: the reporter follows the tracking page
    aduan_id = aduan.pk

    def enqueue() -> None:
        from posko.channels.tasks import send_status_notice

        send_status_notice.enqueue(aduan_id, str(event), reason)

    enqueue_with_transaction(enqueue)


def acknowledge_receipt(event: AduanEvent) -> None:
    """A new aduan from a private chat: the tracking code and the reporter's secret link, in
    this transaction (the key is known only here; its delivery is sent by a task)."""
    if event.aduan.channel in Platform.values:
        from posko.channels.actions.notices import queue_receipt

        queue_receipt(event.aduan)


def notify_assignment(event: AduanEvent) -> None:
    """The aduan was handed to a unit: tell the citizen (once per unit)."""
    _enqueue_notice(event.aduan, NoticeEvent.ASSIGNED)


def notify_status_change(event: AduanEvent) -> None:
    """Selesai, ditolak or dialihkan (with its reason): tell the citizen."""
    new_status = str(event.data["new"])
    notice = STATUS_EVENTS.get(Status(new_status)) if new_status in Status.values else None
    if notice is not None:
        _enqueue_notice(event.aduan, notice, str(event.data.get("reason", "")))


def send_public_reply(event: AduanEvent) -> None:
    """An officer's public reply to be sent out: through the account it came in on (or
    marked failed with the reason when there is none)."""
    prepare_delivery(event.message)


def reply_gate(aduan: Aduan) -> None:
    """Refuse a public reply the platform would refuse (e.g. WhatsApp 24-hour window)."""
    if aduan.channel in Platform.values:
        check_reply_allowed(aduan)


def connect() -> None:
    subscribe(EventKind.CREATED, acknowledge_receipt)
    subscribe(EventKind.ASSIGNED, notify_assignment)
    subscribe(EventKind.STATUS_CHANGED, notify_status_change)
    subscribe(EventKind.PUBLIC_REPLY, send_public_reply)
    register_reply_gate(reply_gate)
