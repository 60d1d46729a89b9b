"""WhatsApp Cloud API: webhook payloads → ``Incoming``/``StatusUpdate``; sending text and
template messages; fetching media. Formats: Meta "messages webhook reference" and
"Send messages" (see doc.md)."""

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
    as_list,
    as_str,
    coordinate,
    load_event_json,
    unix_time,
)
from posko.channels.http import request_json
from posko.channels.media import api_path, media_hosts, safe_download

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

PLATFORM = "whatsapp"
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
MAX_MEDIA_BYTES = 16 * 1024 * 1024
# Meta error codes worth retrying: rate limits, throughput, pair rate, temporary errors.
RETRYABLE_CODES = {1, 2, 4, 17, 80007, 130429, 131000, 131016, 131056, 133004}
# Send-time explanations for the operator (Meta's own text follows).
KNOWN_ERRORS = {
    131047: "Di luar jendela 24 jam WhatsApp: hanya templat yang disetujui yang bisa dikirim.",
    131026: "Nomor tujuan tidak dapat menerima pesan WhatsApp.",
    131051: "Jenis pesan tidak didukung.",
    190: "Token akses WhatsApp tidak valid atau kedaluwarsa.",
}
STATUS_STATES = {"sent", "delivered", "read", "failed"}


def parse(body: bytes) -> Parsed:
    payload = load_event_json(body)
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise MalformedEvent("bukan peristiwa whatsapp_business_account")
    parsed = Parsed()
    for entry in as_list(payload.get("entry")):
        for change in as_list(as_dict(entry).get("changes")):
            change = as_dict(change)
            value = as_dict(change.get("value"))
            if change.get("field") != "messages":
                parsed.skipped.append(f"field {as_str(change.get('field'))}")
                continue
            phone_number_id = as_str(as_dict(value.get("metadata")).get("phone_number_id"))
            names = _contact_names(value)
            for raw in as_list(value.get("messages")):
                message = _message(phone_number_id, as_dict(raw), names)
                if message is None:
                    parsed.skipped.append(f"message type {as_str(as_dict(raw).get('type'))}")
                else:
                    parsed.messages.append(message)
            for raw in as_list(value.get("statuses")):
                status = _status(phone_number_id, as_dict(raw))
                if status is not None:
                    parsed.statuses.append(status)
    return parsed


def _contact_names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in as_list(value.get("contacts")):
        contact = as_dict(contact)
        name = as_str(as_dict(contact.get("profile")).get("name"), 200)
        for key in ("wa_id", "user_id"):
            if ident := as_str(contact.get(key), 200):
                names[ident] = name
    return names


def _message(phone_number_id: str, raw: dict[str, Any], names: dict[str, str]) -> Incoming | None:
    message_id = as_str(raw.get("id"), 200)
    phone = as_str(raw.get("from"), 40)
    sender = phone or as_str(raw.get("from_user_id"), 200)
    kind = as_str(raw.get("type"), 20)
    if not (message_id and sender and phone_number_id):
        return None
    incoming = Incoming(
        platform=PLATFORM,
        account_external_id=phone_number_id,
        external_id=message_id,
        sender_id=sender,
        sender_name=names.get(sender, "") or names.get(as_str(raw.get("from_user_id")), ""),
        sender_phone=phone,
        message_type=kind,
        sent_at=unix_time(raw.get("timestamp")),
    )
    if context := as_dict(raw.get("context")):
        incoming.data["reply_to"] = as_str(context.get("id"), 200)
    body = as_dict(raw.get(kind)) if kind else {}
    if kind == "text":
        incoming.text = as_str(body.get("body"))
    elif kind in MEDIA_TYPES:
        media_id = as_str(body.get("id"), 200)
        if not media_id:
            return None
        caption = as_str(body.get("caption"))
        incoming.text = caption
        incoming.media.append(
            MediaRef(
                media_type=kind,
                ref=media_id,
                mime_type=as_str(body.get("mime_type"), 100),
                caption=caption,
                filename=as_str(body.get("filename"), 200),
            )
        )
    elif kind == "location":
        incoming.latitude = coordinate(body.get("latitude"), 90)
        incoming.longitude = coordinate(body.get("longitude"), 180)
        if incoming.latitude is None or incoming.longitude is None:
            return None
        label = ", ".join(p for p in (as_str(body.get("name")), as_str(body.get("address"))) if p)
        incoming.text = f"[Lokasi] {label} ({incoming.latitude}, {incoming.longitude})".replace(
            "[Lokasi]  (", "[Lokasi] ("
        )
    elif kind == "contacts":
        cards = []
        for card in as_list(raw.get("contacts")):
            card = as_dict(card)
            name = as_str(as_dict(card.get("name")).get("formatted_name"), 200)
            phones = [as_str(as_dict(p).get("phone"), 40) for p in as_list(card.get("phones"))]
            cards.append(f"{name} {' '.join(p for p in phones if p)}".strip())
        if not any(cards):
            return None
        incoming.text = "[Kontak] " + "; ".join(c for c in cards if c)
    elif kind == "interactive":
        reply = as_dict(body.get("button_reply")) or as_dict(body.get("list_reply"))
        incoming.text = as_str(reply.get("title"), 500)
        incoming.data["reply_id"] = as_str(reply.get("id"), 200)
    elif kind == "button":
        incoming.text = as_str(body.get("text"), 500)
        incoming.data["payload"] = as_str(body.get("payload"), 500)
    else:  # reaction, unsupported, system, order …: nothing for the inbox
        return None
    if not incoming.text.strip() and not incoming.media:
        return None
    return incoming


def _status(phone_number_id: str, raw: dict[str, Any]) -> StatusUpdate | None:
    state = as_str(raw.get("status"), 20)
    message_id = as_str(raw.get("id"), 200)
    if state not in STATUS_STATES or not message_id or not phone_number_id:
        return None
    errors = [_error_text(as_dict(e)) for e in as_list(raw.get("errors"))]
    return StatusUpdate(
        platform=PLATFORM,
        account_external_id=phone_number_id,
        external_id=message_id,
        state=state,
        error="; ".join(e for e in errors if e),
    )


def _error_text(error: dict[str, Any]) -> str:
    code = error.get("code")
    details = as_str(as_dict(error.get("error_data")).get("details"), 500)
    message = as_str(error.get("message") or error.get("title"), 500)
    known = KNOWN_ERRORS.get(code) if isinstance(code, int) else None
    parts = [p for p in (known, message, details) if p]
    return f"{' — '.join(parts)} (kode {code})" if code is not None else " — ".join(parts)


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    error = as_dict(body.get("error"))
    code = error.get("code")
    detail = _error_text(error)
    reason = f"HTTP {response.status_code}: {detail}" if detail else f"HTTP {response.status_code}"
    return reason, isinstance(code, int) and code in RETRYABLE_CODES, None


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    token = account.credentials.get("access_token", "")
    if not token:
        raise SendError("Token akses WhatsApp belum diisi.", retryable=False)
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": delivery.recipient,
    }
    if delivery.kind == "template":
        template = delivery.template
        payload["type"] = "template"
        payload["template"] = {
            "name": template["name"],
            "language": {"code": template.get("language", "id")},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": p} for p in template.get("params", [])],
                }
            ],
        }
    else:
        payload["type"] = "text"
        payload["text"] = {"preview_url": False, "body": delivery.text[:4096]}
        if delivery.reply_to:
            payload["context"] = {"message_id": delivery.reply_to}
    body = request_json(
        http,
        "POST",
        f"{account.base_url}/{account.external_id}/messages",
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
        describe_error=describe_error,
    )
    messages = as_list(body.get("messages"))
    message_id = as_str(as_dict(messages[0]).get("id"), 200) if messages else ""
    if not message_id:
        raise SendError("Jawaban WhatsApp tanpa id pesan.", retryable=False)
    return message_id


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    """``GET /{media-id}`` gives a short-lived URL on WhatsApp's media host, downloaded with the
    same bearer token. The id must be a plain id (it becomes part of the API path); the URL must
    be on WhatsApp's media host; the token is sent only to the API and that host."""
    token = account.credentials.get("access_token", "")
    if not token:
        raise SendError("Token akses WhatsApp belum diisi.", retryable=False)
    info = request_json(
        http,
        "GET",
        api_path(account.base_url, ref.ref),
        headers={"Authorization": f"Bearer {token}"},
        describe_error=describe_error,
        follow_redirects=False,
    )
    url = as_str(info.get("url"), 2000)
    if not url:
        raise SendError("Graph API tidak memberi URL media.", retryable=False)
    hosts = media_hosts(PLATFORM)
    data, content_type = safe_download(
        http, url, allowed_hosts=hosts, max_bytes=MAX_MEDIA_BYTES, token=token, token_hosts=hosts
    )
    return data, as_str(info.get("mime_type"), 100) or content_type or ref.mime_type
