"""Normalised shapes every platform adapter produces, and the errors adapters raise."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


class MalformedEvent(ValueError):
    """The stored event cannot be understood (wrong shape); recorded as failed."""


# NUL and the other C0 controls but tab, newline and carriage return.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def clean_text(value: str) -> str:
    """Text every database can store: a lone UTF-16 surrogate (valid in a JSON escape, not in
    UTF-8) becomes U+FFFD, a surrogate pair the character it encodes; NUL and other control
    characters are dropped."""
    if value.isascii() and value.isprintable():
        return value
    value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value.translate(_CONTROLS)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): _clean(item) for key, item in value.items()}
    return value


def load_event_json(body: bytes) -> Any:
    """A platform's JSON event, with every string cleaned by ``clean_text`` (the edge where
    untrusted text enters Posko). Raises ``MalformedEvent`` when it is not JSON."""
    try:
        return _clean(json.loads(body))
    except (ValueError, RecursionError) as exc:
        raise MalformedEvent(f"bukan JSON: {exc}") from exc


class SendError(Exception):
    """Sending failed. ``retryable`` errors are retried with backoff, honouring
    ``retry_after`` (seconds) when the platform gives one; others fail at once with the
    platform's reason shown to the operator. ``outcome_unknown``: the request may have reached
    the platform (timeout after sending, connection dropped mid-answer, 5xx) — a delivery that
    must go out at most once is then marked unconfirmed, never sent again automatically."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        outcome_unknown: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown


@dataclass
class MediaRef:
    media_type: str  # image, video, audio, document, sticker
    ref: str  # platform media id / Telegram file_id / URL
    mime_type: str = ""
    caption: str = ""
    filename: str = ""


@dataclass
class Incoming:
    """One message from a citizen."""

    platform: str
    account_external_id: str
    external_id: str
    sender_id: str
    kind: str = "direct"  # direct, comment, mention
    message_type: str = "text"
    text: str = ""
    sender_name: str = ""
    sender_username: str = ""
    sender_phone: str = ""
    media: list[MediaRef] = field(default_factory=list)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sent_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    reply_target: str = ""  # the comment/post id to answer publicly
    subject: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class StatusUpdate:
    """A delivery status of one of our outgoing messages."""

    platform: str
    account_external_id: str
    external_id: str
    state: str  # sent, delivered, read, failed
    error: str = ""


@dataclass
class Parsed:
    messages: list[Incoming] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def unix_time(value: Any) -> datetime:
    """Platform timestamps: unix seconds (int or string) or milliseconds."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return datetime.now(UTC)
    if number > 10**11:  # milliseconds
        number /= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.now(UTC)


def coordinate(value: Any, limit: int) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (ArithmeticError, ValueError, TypeError):
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any, limit: int = 10_000) -> str:
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)[:limit]
    return ""
