from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.aduan.access import authorize_change
from posko.aduan.actions.approvals import (
    ReplyApprovalError,
    ReplyNeedsApproval,
    reply_needs_approval,
)
from posko.aduan.actions.common import action_atomic, lock_aduan, record_audit, touch
from posko.aduan.actions.photos import store_photos
from posko.aduan.events import EventKind, check_reply_allowed, emit
from posko.aduan.models import (
    Aduan,
    AduanMessage,
    DeliveryState,
    DraftState,
    MessageKind,
    ReplyDraft,
)
from posko.aduan.models.choices import Channel
from posko.aduan.photos import CleanPhoto
from posko.org.permissions import URGENT_REPLY_ROLES, NotPermitted, has_role

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


def do_add_message(
    aduan: Aduan,
    text: str,
    *,
    public: bool,
    acting_user: User,
    urgent: bool = False,
    approved_draft: ReplyDraft | None = None,
) -> AduanMessage:
    """Add a public reply (seen by the reporter) or an internal note to the thread.

    The first public reply stops the first-response clock. Where a reply needs a pimpinan's
    approval (``approvals.reply_needs_approval``) it goes out only as the approved draft
    (``approvals.do_send_approved_reply``) or, ``urgent``, from a role allowed to send urgent
    safety replies directly.
    """
    authorize_change(acting_user, aduan)
    text = text.strip()
    if not text:
        raise ValueError(_("Isi pesan tidak boleh kosong."))
    if public:
        _check_approval(aduan, text, acting_user, urgent=urgent, draft=approved_draft)
    kind = MessageKind.PUBLIC_REPLY if public else MessageKind.INTERNAL_NOTE
    external = public and aduan.channel not in SELF_SERVED_CHANNELS
    if external:
        # Tell the operator before sending when the platform will refuse (e.g. the WhatsApp
        # 24-hour window is closed and no template is configured): raises ValueError.
        check_reply_allowed(aduan)
    with action_atomic():
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
        extra = {"urgent": True} if public and urgent else {}
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
            **extra,
        )
        if external:
            # Sent through the originating channel by its subscriber (on commit).
            emit(EventKind.PUBLIC_REPLY, aduan, message=message)
    return message


def _check_approval(
    aduan: Aduan, text: str, user: User, *, urgent: bool, draft: ReplyDraft | None
) -> None:
    if draft is not None:
        if draft.aduan_id != aduan.pk or draft.state != DraftState.APPROVED or draft.text != text:
            raise ReplyApprovalError(_("Draf balasan ini belum disetujui."))
        return
    if urgent:
        if not has_role(user, URGENT_REPLY_ROLES):
            raise NotPermitted(
                _("Peran Anda tidak dapat mengirim balasan darurat tanpa persetujuan.")
            )
        return
    if reply_needs_approval(aduan, user):
        raise ReplyNeedsApproval()


def do_add_incoming_message(
    aduan: Aduan,
    text: str,
    *,
    channel: str,
    received_at: datetime | None = None,
    photos: Sequence[CleanPhoto] = (),
    on_added: Callable[[AduanMessage], None] | None = None,
) -> AduanMessage:
    """A follow-up message from the reporter (through a channel) joins the aduan's thread.

    ``on_added`` runs inside the same transaction (the channel links its message there)."""
    received_at = received_at or timezone.now()
    with action_atomic():
        aduan = lock_aduan(aduan)
        message = AduanMessage.objects.create(
            aduan=aduan,
            kind=MessageKind.INCOMING,
            text=text.strip() or "(tanpa teks)",
            channel=channel,
            created_at=received_at,
        )
        start = aduan.photos.count()
        store_photos(aduan, photos, start=start)
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
