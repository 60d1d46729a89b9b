from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from posko.aduan.actions.common import lock_aduan, record_audit, touch
from posko.aduan.models import Aduan, AduanMessage, DeliveryState, MessageKind
from posko.aduan.models.choices import Channel

# Channels where a public reply is read on Posko itself (tracking page), not sent out.
SELF_SERVED_CHANNELS = frozenset(
    {Channel.WEB, Channel.TELEPON, Channel.DATANG_LANGSUNG, Channel.BHABINKAMTIBMAS, Channel.API}
)


def do_add_message(
    aduan: Aduan, text: str, *, public: bool, acting_user: AbstractBaseUser
) -> AduanMessage:
    """Add a public reply (seen by the reporter) or an internal note to the thread.

    The first public reply stops the first-response clock.
    """
    text = text.strip()
    if not text:
        raise ValueError("Isi pesan tidak boleh kosong.")
    kind = MessageKind.PUBLIC_REPLY if public else MessageKind.INTERNAL_NOTE
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        delivery = DeliveryState.NOT_APPLICABLE
        if public and aduan.channel not in SELF_SERVED_CHANNELS:
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
        record_audit(
            aduan,
            "reply_added" if public else "note_added",
            actor=acting_user,
            message=message.pk,
        )
    return message
