"""Telegram channel (the bot is an administrator with post rights): ``sendMessage``,
``sendPhoto`` (caption ≤ 1,024), ``sendMediaGroup`` (2–10 photos, caption on the first) to the
channel's chat id (account config ``channel_chat_id``, else ``POSKO_TELEGRAM_CHANNEL``).
429 carries ``parameters.retry_after``."""

from __future__ import annotations

import json
from typing import Any

import httpx
from django.conf import settings

from posko.channels.models import ChannelAccount
from posko.publishing.calls import Published, PublishRejected, call
from posko.publishing.publishers import Job


def channel_chat_id(account: ChannelAccount) -> str:
    return str(account.config.get("channel_chat_id") or settings.POSKO_TELEGRAM_CHANNEL or "")


def describe(response: httpx.Response, body: dict[str, Any]) -> tuple[str, bool, float | None]:
    description = str(body.get("description") or f"HTTP {response.status_code}")[:500]
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    retry_after = parameters.get("retry_after")  # type: ignore[union-attr]
    seconds = float(retry_after) if isinstance(retry_after, int | float) else None
    reason = f"Telegram: {description}"
    if response.status_code in (401, 403):
        reason = f"Bot tidak (lagi) berhak mengirim ke kanal ini. {reason}"
    return reason, response.status_code == 429, seconds


def _link(chat_id: str, message_id: str) -> str:
    if chat_id.startswith("@"):
        return f"https://t.me/{chat_id[1:]}/{message_id}"
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message_id}"
    return ""


def publish(http: httpx.Client, job: Job) -> Published:
    account = job.account
    token = account.credentials.get("bot_token", "")
    if not token:
        raise PublishRejected("Token bot Telegram belum diisi.", retryable=False)
    chat_id = channel_chat_id(account)
    if not chat_id:
        raise PublishRejected("ID kanal Telegram belum diatur.", retryable=False)
    url = f"{account.base_url}/bot{token}"
    kwargs: dict[str, Any]
    if not job.photos:
        method, kwargs = "sendMessage", {"json": {"chat_id": chat_id, "text": job.text}}
    elif len(job.photos) == 1:
        photo = job.photos[0]
        method = "sendPhoto"
        kwargs = {
            "data": {"chat_id": chat_id, "caption": job.text},
            "files": {"photo": (photo.name, photo.data, photo.content_type)},
        }
    else:
        media = [
            {
                "type": "photo",
                "media": f"attach://photo{i}",
                **({"caption": job.text} if i == 0 else {}),
            }
            for i in range(len(job.photos))
        ]
        method = "sendMediaGroup"
        kwargs = {
            "data": {"chat_id": chat_id, "media": json.dumps(media)},
            "files": {
                f"photo{i}": (p.name, p.data, p.content_type) for i, p in enumerate(job.photos)
            },
        }
    body = call(http, "POST", f"{url}/{method}", mutation=True, describe=describe, **kwargs)
    result = body.get("result")
    first = result[0] if isinstance(result, list) and result else result
    message_id = str(first.get("message_id") or "") if isinstance(first, dict) else ""
    if not body.get("ok") or not message_id:
        raise PublishRejected("Jawaban Telegram tanpa message_id.", retryable=False)
    return Published(f"{chat_id}:{message_id}", _link(chat_id, message_id))
