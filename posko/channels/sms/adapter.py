"""Generic SMS gateway (format: docs/kanal/sms.md and doc.md).

Inbound (POST /hooks/sms/<account>/, signed ``X-Posko-Signature: sha256=<hex>``):
``{"type": "message", "id": "…", "from": "+62…", "to": "+62…", "text": "…", "timestamp": …}``
or a delivery report ``{"type": "status", "id": "<our message id>", "status":
"sent|delivered|failed", "error": "…"}``. Outbound: ``POST {api_base}/messages`` with
``{"to", "text", "reference"}`` and ``Authorization: Bearer <api_key>``; the gateway answers
``{"id": "…"}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from posko.channels.base import (
    Incoming,
    MalformedEvent,
    MediaRef,
    Parsed,
    SendError,
    StatusUpdate,
    as_dict,
    as_str,
    load_event_json,
    unix_time,
)
from posko.channels.http import request_json

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

PLATFORM = "sms"
STATES = {"sent", "delivered", "failed"}


def parse(body: bytes) -> Parsed:
    payload = load_event_json(body)
    if not isinstance(payload, dict):
        raise MalformedEvent("bukan objek JSON")
    parsed = Parsed()
    message_id = as_str(payload.get("id"), 200)
    if payload.get("type", "message") == "status":
        state = as_str(payload.get("status"), 20)
        if state in STATES and message_id:
            parsed.statuses.append(
                StatusUpdate(PLATFORM, "", message_id, state, as_str(payload.get("error"), 500))
            )
        return parsed
    sender = as_str(payload.get("from"), 40)
    text = as_str(payload.get("text"), 2000)
    if not (message_id and sender and text.strip()):
        parsed.skipped.append("SMS tanpa id/pengirim/teks")
        return parsed
    parsed.messages.append(
        Incoming(
            platform=PLATFORM,
            account_external_id=as_str(payload.get("to"), 40),
            external_id=message_id,
            sender_id=sender,
            sender_phone=sender,
            text=text,
            sent_at=unix_time(payload.get("timestamp")),
        )
    )
    return parsed


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    message = as_str(body.get("error") or as_dict(body.get("error")).get("message"), 500)
    return f"Gateway SMS: HTTP {response.status_code} {message}".strip(), False, None


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    if not account.base_url:
        raise SendError("Alamat API gateway SMS belum diisi.", retryable=False)
    body = request_json(
        http,
        "POST",
        f"{account.base_url}/messages",
        json={"to": delivery.recipient, "text": delivery.text[:1600], "reference": delivery.pk},
        headers={"Authorization": f"Bearer {account.credentials.get('api_key', '')}"},
        describe_error=describe_error,
    )
    message_id = as_str(body.get("id"), 200)
    if not message_id:
        raise SendError("Gateway SMS tidak memberi id pesan.", retryable=False)
    return message_id


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    raise SendError("SMS tidak membawa media.", retryable=False)
