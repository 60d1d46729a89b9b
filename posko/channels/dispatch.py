"""Where a public reply goes, and whether the platform allows it now.

Called by ``posko.aduan.actions.replies.do_add_message``: ``check_reply_allowed`` before the
reply is written (so the operator is told why a reply cannot go out), ``prepare_delivery``
inside its transaction (the delivery row commits with the message, and so does the send task:
``core.outbox.enqueue_with_transaction``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from posko.aduan.actions.system import do_set_delivery_state
from posko.aduan.models import Aduan, AduanMessage
from posko.aduan.models import DeliveryState as MessageDelivery
from posko.channels.models import (
    ChannelAccount,
    ChannelMessage,
    Conversation,
    DeliveryKind,
    DeliveryState,
    MessageKind,
    ModerationItem,
    OutboundDelivery,
    Platform,
)
from posko.core.outbox import enqueue_with_transaction

# What stands for the reporter's secret key in every stored copy of a receipt: the thread's
# message from the start, the delivery row once it has been sent.
HIDDEN_KEY = "••••••"
WHATSAPP_WINDOW = timedelta(hours=24)
# Messenger/Instagram: standard messaging window; the HUMAN_AGENT tag extends it to 7 days.
META_WINDOW = timedelta(days=7)


class ReplyNotAllowed(ValueError):
    """The platform would refuse this reply now; the message explains why (Indonesian)."""


def conversation_of(aduan: Aduan) -> Conversation | None:
    return (
        Conversation.objects.select_related("account", "identity").filter(aduan_id=aduan.pk).first()
    )


def window_template(account: ChannelAccount) -> dict[str, Any] | None:
    """The approved WhatsApp template to use outside the 24-hour window (account config
    ``window_template``: ``{"name": …, "language": "id"}``; parameters: code, reply text)."""
    template = account.config.get("window_template")
    if isinstance(template, dict) and template.get("name"):
        return template
    return None


def whatsapp_window_open(conversation: Conversation, now: datetime | None = None) -> bool:
    last = conversation.last_inbound_at
    return last is not None and (now or timezone.now()) - last < WHATSAPP_WINDOW


def _has_direct_thread(conversation: Conversation) -> bool:
    """Whether the citizen has written privately (DM) on this account — then we may DM."""
    return ChannelMessage.objects.filter(
        account=conversation.account,
        identity=conversation.identity,
        kind=MessageKind.DIRECT,
    ).exists()


def check_reply_allowed(aduan: Aduan) -> None:
    conversation = conversation_of(aduan)
    if conversation is None:
        return  # recorded by staff: the reply is marked failed with the reason, not sent
    account = conversation.account
    if account.platform == Platform.WHATSAPP:
        if not whatsapp_window_open(conversation) and window_template(account) is None:
            raise ReplyNotAllowed(
                gettext(
                    "Pesan terakhir pelapor di WhatsApp lebih dari 24 jam yang lalu. WhatsApp "
                    "hanya mengizinkan templat yang sudah disetujui di luar jendela 24 jam, dan "
                    "akun ini belum punya templat. Atur templat di pengaturan akun, atau tunggu "
                    "pelapor mengirim pesan lagi."
                )
            )
    elif account.platform in (Platform.INSTAGRAM, Platform.FACEBOOK):
        direct = _has_direct_thread(conversation)
        if not direct and conversation.private_reply_used and not _is_ig_mention(conversation):
            raise ReplyNotAllowed(
                gettext(
                    "Aduan ini berasal dari komentar publik dan balasan pribadi atas komentar itu "
                    "sudah terpakai (Meta hanya mengizinkan satu). Balasan berikutnya bisa dikirim "
                    "setelah pelapor membalas lewat pesan pribadi (DM)."
                )
            )
        last = conversation.last_inbound_at
        if direct and last is not None and timezone.now() - last > META_WINDOW:
            raise ReplyNotAllowed(
                gettext(
                    "Pesan terakhir pelapor lebih dari 7 hari yang lalu; Meta tidak mengizinkan "
                    "balasan setelah itu. Tunggu pelapor menulis lagi."
                )
            )


def reply_blocked_reason(aduan: Aduan) -> str:
    """Why a public reply cannot go out now (shown above the reply form), or ''."""
    if aduan.channel not in Platform.values:
        return ""
    try:
        check_reply_allowed(aduan)
    except ReplyNotAllowed as exc:
        return str(exc)
    return ""


def _is_ig_mention(conversation: Conversation) -> bool:
    return conversation.public_comment_id.startswith("mention:") and not _has_direct_thread(
        conversation
    )


def _route(conversation: Conversation, message: AduanMessage) -> dict[str, Any]:
    """Delivery fields for a reply on the conversation's platform."""
    account = conversation.account
    identity = conversation.identity
    route: dict[str, Any] = {"kind": DeliveryKind.DIRECT, "recipient": identity.external_id}
    if account.platform == Platform.WHATSAPP and not whatsapp_window_open(conversation):
        template = window_template(account) or {}
        route["kind"] = DeliveryKind.TEMPLATE
        route["template"] = {
            "name": template.get("name", ""),
            "language": template.get("language", "id"),
            "params": [conversation.aduan.code, message.text[:1000]],
        }
    elif account.platform == Platform.INSTAGRAM and _is_ig_mention(conversation):
        # Someone else's post that mentions the account: answers go under that post.
        route["kind"] = DeliveryKind.COMMENT_REPLY
        route["recipient"] = route["reply_to"] = conversation.public_comment_id
    elif account.platform in (Platform.INSTAGRAM, Platform.FACEBOOK):
        if not _has_direct_thread(conversation) and conversation.public_comment_id:
            route["kind"] = DeliveryKind.PRIVATE_REPLY
            route["recipient"] = conversation.public_comment_id
            conversation.private_reply_used = True
            conversation.save(update_fields=["private_reply_used"])
    elif account.platform == Platform.X:
        route["kind"] = DeliveryKind.COMMENT_REPLY
        route["recipient"] = identity.username or identity.external_id
        route["reply_to"] = conversation.last_inbound_external_id
    elif account.platform == Platform.EMAIL:
        route["reply_to"] = conversation.last_inbound_external_id
    return route


def prepare_delivery(message: AduanMessage) -> OutboundDelivery | None:
    """Inside the reply's transaction: create the delivery (or mark the message failed with
    the reason when there is nowhere to send it) and enqueue the send with the transaction."""
    conversation = conversation_of(message.aduan)
    if conversation is None:
        message.delivery_state = MessageDelivery.FAILED
        message.delivery_error = (
            "Aduan ini tidak masuk lewat akun resmi yang terhubung, jadi balasan tidak dapat "
            "dikirim otomatis. Hubungi pelapor secara langsung."
        )
        do_set_delivery_state(
            message.pk, state=message.delivery_state, error=message.delivery_error
        )
        return None
    route = _route(conversation, message)
    delivery = OutboundDelivery.objects.create(
        account=conversation.account, message=message, text=message.text, **route
    )
    enqueue_send(delivery.pk)
    return delivery


def queue_comment_reply(
    account: ChannelAccount,
    comment_id: str,
    text: str,
    *,
    message: AduanMessage | None = None,
    moderation_item: ModerationItem | None = None,
) -> OutboundDelivery:
    """A public reply under a comment (acknowledgement or moderation reply)."""
    delivery = OutboundDelivery.objects.create(
        account=account,
        message=message,
        moderation_item=moderation_item,
        kind=DeliveryKind.COMMENT_REPLY,
        recipient=comment_id,
        reply_to=comment_id,
        text=text,
    )
    enqueue_send(delivery.pk)
    return delivery


def queue_direct_message(
    account: ChannelAccount, recipient: str, text: str, *, template: dict[str, Any] | None = None
) -> OutboundDelivery:
    """A private message outside any aduan thread (a keyword's answer, a message to a
    stakeholder): its own delivery row with state, sent by the send task (enqueued with the
    transaction). On WhatsApp outside the 24-hour window pass an approved ``template``."""
    delivery = OutboundDelivery.objects.create(
        account=account,
        kind=DeliveryKind.TEMPLATE if template else DeliveryKind.DIRECT,
        recipient=recipient,
        text=text,
        template=template or {},
    )
    enqueue_send(delivery.pk)
    return delivery


def queue_post_message(
    polres_id: int, platform: str, source_id: str, author: str, text: str
) -> OutboundDelivery:
    """A message to the account behind a public post (a Polisi Virtual warning), sent at most
    once: the platform's own rule for answering a post (``post_route`` of its adapter) picks a
    reply, a private reply or a DM; the Polres's active official account on that platform sends
    it. Inside the caller's transaction; the send task is enqueued with it. Raises
    ``ReplyNotAllowed`` (Indonesian reason) when Posko cannot send it."""
    from posko.channels.registry import post_route

    route = post_route(platform, source_id, author)
    if route is None:
        raise ReplyNotAllowed(
            gettext("Unggahan dari sumber ini tidak dapat dibalas lewat akun resmi Posko.")
        )
    account = (
        ChannelAccount.objects.filter(polres_id=polres_id, platform=platform, is_active=True)
        .order_by("pk")
        .first()
    )
    if account is None:
        raise ReplyNotAllowed(
            gettext("Polres belum punya akun resmi %(platform)s yang aktif.")
            % {"platform": Platform(platform).label}
        )
    delivery = OutboundDelivery.objects.create(
        account=account, text=text, at_most_once=True, **route
    )
    enqueue_send(delivery.pk)
    return delivery


def enqueue_send(delivery_id: int, run_after: datetime | None = None) -> None:
    from posko.channels.tasks import send_delivery

    def enqueue() -> None:
        task = send_delivery.using(run_after=run_after) if run_after else send_delivery
        task.enqueue(delivery_id)

    enqueue_with_transaction(enqueue)


MESSAGE_STATE = {
    DeliveryState.PENDING: MessageDelivery.PENDING,
    DeliveryState.SENDING: MessageDelivery.PENDING,
    DeliveryState.SENT: MessageDelivery.SENT,
    DeliveryState.DELIVERED: MessageDelivery.DELIVERED,
    DeliveryState.READ: MessageDelivery.READ,
    DeliveryState.FAILED: MessageDelivery.FAILED,
    DeliveryState.UNCONFIRMED: MessageDelivery.FAILED,
}
