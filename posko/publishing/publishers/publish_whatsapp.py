"""WhatsApp Cloud API template messages to opted-in subscribers (``POST /{phone-number-id}/
messages``, ``type: template``). Templates are the only messages allowed outside the 24-hour
window; a security alert uses a *utility* template whose body variable is the alert text."""

from __future__ import annotations

from typing import Any

import httpx

from posko.channels.models import ChannelAccount
from posko.publishing.calls import PublishRejected, call
from posko.publishing.publishers import bearer

# Meta codes a retry fixes: rate limits, throughput (130429), pair rate (131056), temporary.
RETRYABLE_CODES = {1, 2, 4, 17, 80007, 130429, 131000, 131016, 131056, 133004}


def describe(response: httpx.Response, body: dict[str, Any]) -> tuple[str, bool, float | None]:
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    assert isinstance(error, dict)
    code = error.get("code")
    message = str(error.get("message") or "")[:300]
    retryable = isinstance(code, int) and code in RETRYABLE_CODES
    return f"WhatsApp: HTTP {response.status_code} {message} (kode {code})", retryable, None


def send_template(
    http: httpx.Client,
    account: ChannelAccount,
    to: str,
    template: dict[str, Any],
    params: list[str],
) -> str:
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.lstrip("+"),
        "type": "template",
        "template": {
            "name": template["name"],
            "language": {"code": template.get("language", "id")},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            ],
        },
    }
    body = call(
        http,
        "POST",
        f"{account.base_url}/{account.external_id}/messages",
        mutation=True,
        describe=describe,
        headers=bearer(account, "access_token"),
        json=payload,
    )
    messages = body.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else {}
    message_id = str(first.get("id") or "") if isinstance(first, dict) else ""
    if not message_id:
        raise PublishRejected("Jawaban WhatsApp tanpa id pesan.", retryable=False)
    return message_id
