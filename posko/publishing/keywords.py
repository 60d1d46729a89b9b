"""Subscription keywords in inbound messages, hooked on the creation of a channel message
(``post_save`` of ``ChannelMessage``) — the channel adapters and inbound actions are untouched.

* ``BERHENTI`` / ``STOP`` / ``/stop`` (WhatsApp, SMS, Telegram): unsubscribes at once.
* ``DAFTAR <nama desa>`` (WhatsApp): subscribes the sender's own number to that desa's alerts —
  the message itself is the opt-in, from the number that will receive the alerts.

The message still goes on to the inbox as usual (the channels decide that, not this hook)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from posko.channels.models import ChannelMessage

logger = logging.getLogger(__name__)
KEYWORD_PLATFORMS = frozenset({"whatsapp", "sms", "telegram"})
MAX_KEYWORD_LENGTH = 80


def on_channel_message(
    sender: type, instance: ChannelMessage, created: bool, **kwargs: Any
) -> None:
    if not created or instance.kind != "direct":
        return
    text = (instance.text or "").strip()
    if not text or len(text) > MAX_KEYWORD_LENGTH:
        return
    account = instance.account
    if account.platform not in KEYWORD_PLATFORMS:
        return
    identity = instance.identity
    address = identity.phone or identity.external_id
    polres_id, platform = account.polres_id, account.platform
    transaction.on_commit(lambda: handle_keyword(polres_id, platform, address, text))


def handle_keyword(polres_id: int, platform: str, address: str, text: str) -> str | None:
    from posko.org.lookup import polres_desa
    from posko.org.models import Unit
    from posko.publishing.actions.common import PostError
    from posko.publishing.actions.subscribers import do_handle_keyword, do_register_subscriber

    polres = Unit.objects.get(pk=polres_id)
    done = do_handle_keyword(polres, platform, address, text)
    if done is not None:
        return done
    word, _sep, rest = text.partition(" ")
    if word.lower() != "daftar" or platform != "whatsapp" or not rest.strip():
        return None
    desa = polres_desa(polres).filter(name__iexact=rest.strip()).first()
    if desa is None:
        return "unknown desa"
    try:
        do_register_subscriber(polres, address, desa, source="kata_kunci")
    except PostError:
        logger.info("keyword subscription refused for an invalid number")
        return "invalid"
    return "subscribed"
