"""Telegram Bot API: ``Update`` → ``Incoming`` (private chats: text, photo, location, contact,
document, voice, video); ``sendMessage``; media via ``getFile``. See doc.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from posko.channels.base import (
    Incoming,
    MalformedEvent,
    MediaRef,
    Parsed,
    SendError,
    as_dict,
    as_list,
    as_str,
    coordinate,
    load_event_json,
    unix_time,
)
from posko.channels.http import get_bytes, request_json

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

PLATFORM = "telegram"
MAX_MEDIA_BYTES = 20 * 1024 * 1024  # bots may download at most 20 MB


def parse(body: bytes) -> Parsed:
    update = load_event_json(body)
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        raise MalformedEvent("bukan Update Telegram")
    parsed = Parsed()
    message = as_dict(update.get("message"))
    if not message:
        kinds = [k for k in update if k != "update_id"]
        parsed.skipped.append(f"update {','.join(kinds)[:100]}")
        return parsed
    chat = as_dict(message.get("chat"))
    if chat.get("type") != "private":
        parsed.skipped.append(f"chat {as_str(chat.get('type'))}")  # groups: not an inbox
        return parsed
    sender = as_dict(message.get("from"))
    chat_id = as_str(chat.get("id"), 40)
    message_id = as_str(message.get("message_id"), 40)
    if not chat_id or not message_id or sender.get("is_bot") is True:
        parsed.skipped.append("pesan tanpa pengirim")
        return parsed
    name = " ".join(
        p
        for p in (as_str(sender.get("first_name"), 100), as_str(sender.get("last_name"), 100))
        if p
    )
    incoming = Incoming(
        platform=PLATFORM,
        account_external_id="",
        external_id=f"{chat_id}:{message_id}",
        sender_id=chat_id,
        sender_name=name,
        sender_username=as_str(sender.get("username"), 100),
        sent_at=unix_time(message.get("date")),
    )
    _fill(incoming, message)
    if incoming.text.strip() or incoming.media:
        parsed.messages.append(incoming)
    else:
        parsed.skipped.append("jenis pesan tidak didukung")
    return parsed


def _fill(incoming: Incoming, message: dict[str, Any]) -> None:
    caption = as_str(message.get("caption"))
    if "text" in message:
        incoming.text = as_str(message.get("text"))
    elif photos := [as_dict(p) for p in as_list(message.get("photo")) if as_dict(p)]:
        largest = photos[-1]  # sizes come smallest first
        incoming.message_type = "image"
        incoming.text = caption
        if file_id := as_str(largest.get("file_id"), 300):
            incoming.media.append(MediaRef("image", file_id, "image/jpeg", caption))
    elif location := as_dict(message.get("location")):
        incoming.message_type = "location"
        incoming.latitude = coordinate(location.get("latitude"), 90)
        incoming.longitude = coordinate(location.get("longitude"), 180)
        if incoming.latitude is not None and incoming.longitude is not None:
            incoming.text = f"[Lokasi] ({incoming.latitude}, {incoming.longitude})"
    elif contact := as_dict(message.get("contact")):
        incoming.message_type = "contacts"
        name = " ".join(
            p for p in (as_str(contact.get("first_name")), as_str(contact.get("last_name"))) if p
        )
        phone = as_str(contact.get("phone_number"), 40)
        incoming.text = f"[Kontak] {name} {phone}".strip()
        if str(contact.get("user_id")) == incoming.sender_id and phone:
            incoming.sender_phone = phone  # the citizen shared their own number
    else:
        for kind, media_type in (("document", "document"), ("voice", "audio"), ("video", "video")):
            item = as_dict(message.get(kind))
            if file_id := as_str(item.get("file_id"), 300):
                incoming.message_type = media_type
                incoming.text = caption
                incoming.media.append(
                    MediaRef(
                        media_type,
                        file_id,
                        as_str(item.get("mime_type"), 100),
                        caption,
                        as_str(item.get("file_name"), 200),
                    )
                )
                break


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    description = as_str(body.get("description"), 500) or f"HTTP {response.status_code}"
    retry_after = as_dict(body.get("parameters")).get("retry_after")
    seconds = float(retry_after) if isinstance(retry_after, int | float) else None
    return f"Telegram: {description}", response.status_code == 429, seconds


def _bot_url(account: ChannelAccount, method: str) -> str:
    token = account.credentials.get("bot_token", "")
    if not token:
        raise SendError("Token bot Telegram belum diisi.", retryable=False)
    return f"{account.base_url}/bot{token}/{method}"


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    payload: dict[str, Any] = {"chat_id": delivery.recipient, "text": delivery.text[:4096]}
    if delivery.reply_to:
        payload["reply_parameters"] = {"message_id": int(delivery.reply_to.split(":")[-1])}
    body = request_json(
        http, "POST", _bot_url(account, "sendMessage"), json=payload, describe_error=describe_error
    )
    result = as_dict(body.get("result"))
    message_id = as_str(result.get("message_id"), 40)
    if not body.get("ok") or not message_id:
        raise SendError("Jawaban Telegram tanpa message_id.", retryable=False)
    return f"{delivery.recipient}:{message_id}"


def post_route(source_id: str, author: str) -> dict[str, Any] | None:
    """A message in the group or channel where the post was seen (``source_id`` is
    ``<chat_id>:<message_id>``), as a reply to it (``sendMessage`` with ``reply_parameters``).
    A bot cannot start a private chat with a user who never wrote to it (Bot API)."""
    chat, _, message = source_id.rpartition(":")
    if not chat or not message.isdigit():
        return None
    return {"kind": "comment_reply", "recipient": chat, "reply_to": source_id}


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    info = request_json(
        http,
        "POST",
        _bot_url(account, "getFile"),
        json={"file_id": ref.ref},
        describe_error=describe_error,
    )
    file_path = as_str(as_dict(info.get("result")).get("file_path"), 500)
    if not file_path:
        raise SendError("Telegram tidak memberi file_path.", retryable=False)
    token = account.credentials.get("bot_token", "")
    data, content_type = get_bytes(
        http, f"{account.base_url}/file/bot{token}/{file_path}", max_bytes=MAX_MEDIA_BYTES
    )
    return data, ref.mime_type or content_type or "application/octet-stream"


def set_webhook(account: ChannelAccount, url: str) -> dict[str, Any]:
    """Register the webhook with the secret token (``posko channels telegram-set-webhook``)."""
    from posko.channels.http import client

    payload = {
        "url": url,
        "secret_token": account.credentials.get("secret_token", ""),
        "allowed_updates": ["message"],
        "drop_pending_updates": False,
    }
    with client() as http:
        return request_json(
            http,
            "POST",
            _bot_url(account, "setWebhook"),
            json=payload,
            describe_error=describe_error,
        )
