"""Changes Posko itself makes to an aduan's thread on behalf of another domain (channels):
automatic acknowledgements and notices, notes about notices not sent, delivery states of
replies. Other domains never write aduan rows themselves; they call these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from posko.aduan.actions.common import nested_atomic, record_audit
from posko.aduan.events import EventKind, check_reply_allowed, emit
from posko.aduan.models import Aduan, AduanMessage, DeliveryState, MessageKind


def do_record_system_message(
    aduan: Aduan,
    *,
    kind: str,
    text: str,
    audit_action: str,
    channel: str = "",
    delivery_state: str = DeliveryState.NOT_APPLICABLE,
    **audit: Any,
) -> AduanMessage:
    """A message written by Posko (no officer): a public acknowledgement or notice being sent
    (``delivery_state`` pending), or an internal note. Audited as ``audit_action``. Does not
    stop the first-response clock: no officer has answered yet."""
    if kind not in (MessageKind.PUBLIC_REPLY, MessageKind.INTERNAL_NOTE):
        raise ValueError(f"system messages are public replies or notes, not {kind}")
    with nested_atomic():
        message = AduanMessage.objects.create(
            aduan=aduan, kind=kind, text=text, channel=channel, delivery_state=delivery_state
        )
        record_audit(aduan, audit_action, actor=None, message=message.pk, **audit)
    return message


def do_send_system_reply(
    aduan: Aduan, text: str, *, audit_action: str, **audit: Any
) -> AduanMessage | None:
    """A public reply written by Posko (e.g. a published hoax clarification), sent on the
    aduan's origin channel like an officer's: None when the channel is read on Posko itself or
    its platform would refuse the reply now (the reply gate)."""
    from posko.aduan.actions.replies import SELF_SERVED_CHANNELS

    if aduan.channel in SELF_SERVED_CHANNELS:
        return None
    try:
        check_reply_allowed(aduan)
    except ValueError:
        return None
    with transaction.atomic():
        message = do_record_system_message(
            aduan,
            kind=MessageKind.PUBLIC_REPLY,
            text=text,
            channel=aduan.channel,
            delivery_state=DeliveryState.PENDING,
            audit_action=audit_action,
            **audit,
        )
        emit(EventKind.PUBLIC_REPLY, aduan, message=message)
    return message


def do_set_delivery_state(
    message_id: int,
    *,
    state: str,
    error: str = "",
    audit_action: str | None = None,
    actor: User | None = None,
    **audit: Any,
) -> None:
    """The delivery state of a public reply, as the channel reports it; audited when
    ``audit_action`` is given (a failure, an operator's retry)."""
    if state not in DeliveryState.values:
        raise ValueError(f"unknown delivery state {state}")
    with transaction.atomic():
        AduanMessage.objects.filter(pk=message_id).update(
            delivery_state=state, delivery_error=error
        )
        if audit_action is not None:
            message = AduanMessage.objects.select_related("aduan").get(pk=message_id)
            record_audit(message.aduan, audit_action, actor=actor, message=message_id, **audit)
