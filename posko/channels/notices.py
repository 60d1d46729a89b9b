"""Status notices to the citizen on the channel the aduan came from.

``do_assign_aduan`` and ``do_change_status`` call ``notify_assignment`` /
``notify_status_change`` inside their transaction; the notice is composed and queued by a
background task enqueued on commit (``actions.notices.do_send_status_notice``). This module is
imported by the aduan actions, so it imports nothing that imports them back.
"""

from __future__ import annotations

from django.db import transaction

from posko.aduan.models import Aduan
from posko.aduan.models.choices import Status
from posko.channels.models import NoticeEvent, Platform

STATUS_EVENTS = {
    Status.SELESAI: NoticeEvent.RESOLVED,
    Status.DITOLAK: NoticeEvent.REJECTED,
    Status.DIALIHKAN: NoticeEvent.REDIRECTED,
}


def _enqueue_on_commit(aduan: Aduan, event: str, reason: str = "") -> None:
    if aduan.channel not in Platform.values:
        return  # web, telephone, walk-in …: the reporter follows the tracking page
    aduan_id = aduan.pk

    def enqueue() -> None:
        from posko.channels.tasks import send_status_notice

        send_status_notice.enqueue(aduan_id, str(event), reason)

    transaction.on_commit(enqueue)


def notify_assignment(aduan: Aduan) -> None:
    """The aduan was handed to a unit: tell the citizen (once per unit)."""
    _enqueue_on_commit(aduan, NoticeEvent.ASSIGNED)


def notify_status_change(aduan: Aduan, new_status: str, reason: str = "") -> None:
    """Selesai, ditolak or dialihkan (with its reason): tell the citizen."""
    event = STATUS_EVENTS.get(Status(new_status)) if new_status in Status.values else None
    if event is not None:
        _enqueue_on_commit(aduan, event, reason)
