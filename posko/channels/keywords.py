"""Keyword messages (subscriptions to alerts): a registered handler, asked by the inbound path.

Channels know nothing of subscriptions. An app above them registers a handler in its
``AppConfig.ready`` (publishing: ``DAFTAR <desa>``, ``/start``, ``BERHENTI``/``/stop``);
``do_ingest_message`` asks the handlers about every private message on WhatsApp, SMS and
Telegram before it joins a thread or becomes an aduan. A handler answers ``None`` (not a
keyword: the message goes on as usual) or a ``KeywordOutcome``: the message is then marked
``keyword`` and never becomes an aduan, and the optional reply goes back to the sender as a
direct message (its own delivery row, sent by the send task after commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from posko.channels.models import ChannelAccount

KEYWORD_PLATFORMS = frozenset({"whatsapp", "sms", "telegram"})
MAX_KEYWORD_LENGTH = 80


@dataclass(frozen=True)
class KeywordOutcome:
    result: str  # what was done, for the logs and tests ("subscribed", "unsubscribed", …)
    reply: str = ""  # text sent back to the sender ("" sends nothing)


# handler(account, address, text): address is the sender's phone (WhatsApp, SMS) or chat id
# (Telegram). Runs inside the inbound transaction.
KeywordHandler = Callable[[ChannelAccount, str, str], KeywordOutcome | None]
_handlers: list[KeywordHandler] = []


def register_keyword_handler(handler: KeywordHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def may_be_keyword(account: ChannelAccount, text: str) -> bool:
    """False when no handler is asked about this message (wrong platform, empty, too long)."""
    text = (text or "").strip()
    return account.platform in KEYWORD_PLATFORMS and bool(text) and len(text) <= MAX_KEYWORD_LENGTH


def handle_keyword(account: ChannelAccount, address: str, text: str) -> KeywordOutcome | None:
    if not may_be_keyword(account, text):
        return None
    text = (text or "").strip()
    for handler in list(_handlers):
        outcome = handler(account, address, text)
        if outcome is not None:
            return outcome
    return None
