from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_change
from posko.aduan.actions.common import lock_aduan, record_audit, touch
from posko.aduan.events import EventKind, check_reply_allowed, emit
from posko.aduan.models import Aduan, AduanMessage, AduanPhoto, DeliveryState, MessageKind
from posko.aduan.models.choices import Channel
from posko.aduan.photos import CleanPhoto

# Channels where a public reply is read on Posko itself (tracking page), not sent out.
SELF_SERVED_CHANNELS = frozenset(
    {
        Channel.WEB,
        Channel.TELEPON,
        Channel.DATANG_LANGSUNG,
        Channel.BHABINKAMTIBMAS,
        Channel.API,
        Channel.OPEN311,
    }
)


def do_add_message(aduan: Aduan, text: str, *, public: bool, acting_user: User) -> AduanMessage:
    """Add a public reply (seen by the reporter) or an internal note to the thread.

    The first public reply stops the first-response clock.
    """
    authorize_change(acting_user, aduan)
    text = text.strip()
    if not text:
        raise ValueError(_("Isi pesan tidak boleh kosong."))
    kind = MessageKind.PUBLIC_REPLY if public else MessageKind.INTERNAL_NOTE
    external = public and aduan.channel not in SELF_SERVED_CHANNELS
    if external:
        # Tell the operator before sending when the platform will refuse (e.g. the WhatsApp
        # 24-hour window is closed and no template is configured): raises ValueError.
        check_reply_allowed(aduan)
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        delivery = DeliveryState.NOT_APPLICABLE
        if external:
            delivery = DeliveryState.PENDING
        message = AduanMessage.objects.create(
            aduan=aduan,
            kind=kind,
            text=text,
            channel=aduan.channel if public else "",
            author=acting_user,
            delivery_state=delivery,
        )
        fields: list[str] = []
        if public and aduan.first_responded_at is None:
            aduan.first_responded_at = timezone.now()
            fields.append("first_responded_at")
        touch(aduan, *fields)
        if fields:
            emit(EventKind.RESPONDED, aduan)
        record_audit(
            aduan,
            "reply_added" if public else "note_added",
            actor=acting_user,
            message=message.pk,
        )
        if external:
            # Sent through the originating channel by its subscriber (on commit).
            emit(EventKind.PUBLIC_REPLY, aduan, message=message)
    return message


def do_add_incoming_message(
    aduan: Aduan,
    text: str,
    *,
    channel: str,
    received_at: datetime | None = None,
    photos: Sequence[CleanPhoto] = (),
    on_added: Callable[[AduanMessage], None] | None = None,
    durable: bool = True,
) -> AduanMessage:
    """A follow-up message from the reporter (through a channel) joins the aduan's thread.

    ``on_added`` runs inside the same transaction (the channel links its message there).
    ``durable=False``: inside a caller's batch transaction (see ``do_submit_aduan``)."""
    received_at = received_at or timezone.now()
    with transaction.atomic(durable=durable):
        aduan = lock_aduan(aduan)
        message = AduanMessage.objects.create(
            aduan=aduan,
            kind=MessageKind.INCOMING,
            text=text.strip() or "(tanpa teks)",
            channel=channel,
            created_at=received_at,
        )
        start = aduan.photos.count()
        for index, photo in enumerate(photos, start=start + 1):
            AduanPhoto.objects.create(
                aduan=aduan,
                image=ContentFile(photo.data, name=f"{aduan.code}-{index}.{photo.extension}"),
                content_type=photo.content_type,
                size=len(photo.data),
                width=photo.width,
                height=photo.height,
            )
        touch(aduan)
        record_audit(
            aduan,
            "incoming_added",
            actor=None,
            message=message.pk,
            channel=channel,
            photos=len(photos),
        )
        if on_added is not None:
            on_added(message)
        emit(EventKind.INCOMING_MESSAGE, aduan, message=message)
    return message
