"""Instagram and Facebook Page (Meta Graph API webhooks on ``/hooks/meta/``).

Inbound: Instagram DMs and Messenger DMs (``entry[].messaging[]``), Instagram comments and
mentions (``changes[].field`` ``comments``/``live_comments``/``mentions``), Page feed comments
(``field: feed``, ``item: comment``, ``verb: add``); Messenger ``delivery`` and Instagram
``read`` receipts update our messages. Outbound: Send API (DM, private reply to a comment),
public comment replies, hiding a comment. See doc.md."""

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
    load_event_json,
    unix_time,
)
from posko.channels.http import get_bytes, request_json

if TYPE_CHECKING:
    from posko.channels.models import ChannelAccount, OutboundDelivery

OBJECTS = {"instagram": "instagram", "page": "facebook"}
RETRYABLE_CODES = {1, 2, 4, 17, 32, 341, 613}
MAX_MEDIA_BYTES = 25 * 1024 * 1024
ATTACHMENT_TYPES = {"image": "image", "video": "video", "audio": "audio", "file": "document"}


def parse(body: bytes) -> Parsed:
    payload = load_event_json(body)
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("object"), str)
        or payload["object"] not in OBJECTS
    ):
        raise MalformedEvent("bukan peristiwa instagram/page")
    platform = OBJECTS[payload["object"]]
    parsed = Parsed()
    for entry in as_list(payload.get("entry")):
        entry = as_dict(entry)
        account_id = as_str(entry.get("id"), 200)
        if not account_id:
            continue
        for event in as_list(entry.get("messaging")):
            _messaging(parsed, platform, account_id, as_dict(event))
        for change in as_list(entry.get("changes")):
            change = as_dict(change)
            _change(
                parsed,
                platform,
                account_id,
                as_str(change.get("field")),
                as_dict(change.get("value")),
                entry.get("time"),
            )
    return parsed


def _messaging(parsed: Parsed, platform: str, account_id: str, event: dict[str, Any]) -> None:
    sender = as_str(as_dict(event.get("sender")).get("id"), 200)
    message = as_dict(event.get("message"))
    if delivery := as_dict(event.get("delivery")):
        for mid in as_list(delivery.get("mids")):
            if mid := as_str(mid, 200):
                parsed.statuses.append(StatusUpdate(platform, account_id, mid, "delivered"))
        return
    if read := as_dict(event.get("read")):
        if mid := as_str(read.get("mid"), 200):  # Instagram marks one message as seen
            parsed.statuses.append(StatusUpdate(platform, account_id, mid, "read"))
        else:
            parsed.skipped.append("read watermark")
        return
    if not message or message.get("is_echo") is True or not sender or sender == account_id:
        parsed.skipped.append("messaging tanpa pesan warga")
        return
    mid = as_str(message.get("mid"), 200)
    if not mid:
        return
    incoming = Incoming(
        platform=platform,
        account_external_id=account_id,
        external_id=mid,
        sender_id=sender,
        text=as_str(message.get("text")),
        sent_at=unix_time(event.get("timestamp")),
    )
    for attachment in as_list(message.get("attachments")):
        attachment = as_dict(attachment)
        media_type = ATTACHMENT_TYPES.get(as_str(attachment.get("type")))
        url = as_str(as_dict(attachment.get("payload")).get("url"), 2000)
        if media_type and url.startswith("https://"):
            incoming.media.append(MediaRef(media_type, url))
    if incoming.media and not incoming.text:
        incoming.message_type = incoming.media[0].media_type
    if incoming.text.strip() or incoming.media:
        parsed.messages.append(incoming)
    else:
        parsed.skipped.append("jenis pesan tidak didukung")


def _change(
    parsed: Parsed, platform: str, account_id: str, field: str, value: dict[str, Any], time: Any
) -> None:
    if platform == "instagram" and field in ("comments", "live_comments"):
        sender = as_dict(value.get("from"))
        comment_id = as_str(value.get("id"), 200)
        sender_id = as_str(sender.get("id"), 200)
        if not comment_id or not sender_id or sender_id == account_id:
            parsed.skipped.append("komentar tanpa pengirim / komentar sendiri")
            return
        parsed.messages.append(
            Incoming(
                platform=platform,
                account_external_id=account_id,
                external_id=comment_id,
                sender_id=sender_id,
                sender_username=as_str(sender.get("username"), 200),
                kind="comment",
                text=as_str(value.get("text")),
                reply_target=comment_id,
                sent_at=unix_time(time),
                data={
                    "media_id": as_str(as_dict(value.get("media")).get("id"), 200),
                    "parent_id": as_str(value.get("parent_id"), 200),
                },
            )
        )
    elif platform == "instagram" and field == "mentions":
        comment_id = as_str(value.get("comment_id"), 200)
        media_id = as_str(value.get("media_id"), 200)
        if not (comment_id or media_id):
            return
        # The webhook carries ids only; the text is read on Instagram (or fetched later).
        parsed.messages.append(
            Incoming(
                platform=platform,
                account_external_id=account_id,
                external_id=f"mention:{comment_id or media_id}",
                sender_id=f"mention:{comment_id or media_id}",
                kind="mention",
                text="(Akun Polres disebut/di-tag di Instagram; buka tautan untuk membaca.)",
                reply_target=comment_id,
                sent_at=unix_time(time),
                data={"media_id": media_id, "comment_id": comment_id},
            )
        )
    elif platform == "facebook" and field == "feed":
        if value.get("item") != "comment" or value.get("verb") != "add":
            parsed.skipped.append(f"feed {as_str(value.get('item'))}/{as_str(value.get('verb'))}")
            return
        sender = as_dict(value.get("from"))
        comment_id = as_str(value.get("comment_id"), 200)
        sender_id = as_str(sender.get("id"), 200)
        if not comment_id or not sender_id or sender_id == account_id:
            parsed.skipped.append("komentar sendiri / tanpa pengirim")
            return
        parsed.messages.append(
            Incoming(
                platform=platform,
                account_external_id=account_id,
                external_id=comment_id,
                sender_id=sender_id,
                sender_name=as_str(sender.get("name"), 200),
                kind="comment",
                text=as_str(value.get("message")),
                reply_target=comment_id,
                sent_at=unix_time(value.get("created_time") or time),
                data={
                    "post_id": as_str(value.get("post_id"), 200),
                    "parent_id": as_str(value.get("parent_id"), 200),
                },
            )
        )
    else:
        parsed.skipped.append(f"field {field}")


def describe_error(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    error = as_dict(body.get("error"))
    code = error.get("code")
    message = as_str(error.get("message"), 500)
    reason = (
        f"HTTP {response.status_code}: {message} (kode {code})"
        if message
        else (f"HTTP {response.status_code}")
    )
    return reason, isinstance(code, int) and code in RETRYABLE_CODES, None


def _headers(account: ChannelAccount) -> dict[str, str]:
    token = account.credentials.get("access_token", "")
    if not token:
        raise SendError("Token akses Meta belum diisi.", retryable=False)
    return {"Authorization": f"Bearer {token}"}


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    headers = _headers(account)
    if delivery.kind == "comment_reply":
        edge = "replies" if account.platform == "instagram" else "comments"
        body = request_json(
            http,
            "POST",
            f"{account.base_url}/{delivery.recipient}/{edge}",
            json={"message": delivery.text[:2000]},
            headers=headers,
            describe_error=describe_error,
        )
        comment_id = as_str(body.get("id"), 200)
        if not comment_id:
            raise SendError("Jawaban Meta tanpa id komentar.", retryable=False)
        return comment_id
    recipient = (
        {"comment_id": delivery.recipient}
        if delivery.kind == "private_reply"
        else {"id": delivery.recipient}
    )
    payload: dict[str, Any] = {
        "recipient": recipient,
        "messaging_type": "RESPONSE",
        "message": {"text": delivery.text[:1000]},
    }
    if tag := delivery.template.get("tag"):
        payload["messaging_type"] = "MESSAGE_TAG"
        payload["tag"] = tag
    body = request_json(
        http,
        "POST",
        f"{account.base_url}/{account.external_id}/messages",
        json=payload,
        headers=headers,
        describe_error=describe_error,
    )
    message_id = as_str(body.get("message_id"), 200)
    if not message_id:
        raise SendError("Jawaban Meta tanpa message_id.", retryable=False)
    return message_id


def hide_comment(http: httpx.Client, account: ChannelAccount, comment_id: str) -> None:
    data = {"hide": "true"} if account.platform == "instagram" else {"is_hidden": "true"}
    request_json(
        http,
        "POST",
        f"{account.base_url}/{comment_id}",
        data=data,
        headers=_headers(account),
        describe_error=describe_error,
    )


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    """Attachment URLs in DMs are short-lived CDN links; download them right away."""
    data, content_type = get_bytes(http, ref.ref, max_bytes=MAX_MEDIA_BYTES)
    return data, content_type or "application/octet-stream"
