"""One module per platform publisher. Each ``publish(http, job)`` makes the variant public on
the account and returns ``Published``; it raises ``PublishRejected`` / ``OutcomeUnknown``
(``posko.publishing.calls``) or ``NotReady`` (Instagram container still processing).

They reuse the official accounts Posko already holds (``ChannelAccount``: encrypted
credentials, ``api_base``) and the channels' HTTP client; the channel adapters are untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import httpx

    from posko.channels.models import ChannelAccount
    from posko.publishing.calls import Published


@dataclass
class PhotoFile:
    name: str
    content_type: str
    data: bytes
    public_url: str


@dataclass
class Job:
    account: ChannelAccount
    text: str
    photos: list[PhotoFile]
    progress: dict[str, Any] = field(default_factory=dict)  # kept across runs (IG container)


class NotReady(Exception):
    """Nothing published yet; run again after ``retry_after`` seconds (progress is kept)."""

    def __init__(self, reason: str, retry_after: float):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


MODULES = {
    "facebook": "posko.publishing.publishers.publish_facebook",
    "instagram": "posko.publishing.publishers.publish_instagram",
    "x": "posko.publishing.publishers.publish_x",
    "telegram": "posko.publishing.publishers.publish_telegram",
}

Publisher = Callable[["httpx.Client", Job], "Published"]


def publisher_for(platform: str) -> Publisher:
    return cast(Publisher, import_module(MODULES[platform]).publish)


def graph_describe(
    response: httpx.Response, body: dict[str, Any]
) -> tuple[str, bool, float | None]:
    """Meta Graph API errors (Facebook Page, Instagram)."""
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    assert isinstance(error, dict)
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = str(error.get("error_user_msg") or error.get("message") or "")[:500]
    reason = f"HTTP {response.status_code}: {message} (kode {code}/{subcode})".strip()
    if code == 190 or subcode in (1404078, 33):
        reason = f"Token akun tidak berlaku lagi; hubungkan ulang akun. {reason}"
        return reason, False, None
    if subcode == 2207042:  # Instagram: 50 posts per 24 hours used up
        return f"Batas 50 posting per 24 jam Instagram tercapai. {reason}", True, 3600.0
    rate_limited = code in (4, 17, 32, 613) or (isinstance(code, int) and 80000 <= code <= 80014)
    retryable = rate_limited or subcode in (1390008, 2207032, 2207053, 1363047, 1609010)
    return reason, retryable, 300.0 if rate_limited else None


def bearer(account: ChannelAccount, *keys: str) -> dict[str, str]:
    from posko.publishing.calls import PublishRejected

    credentials = account.credentials
    token = next((credentials[k] for k in keys if credentials.get(k)), "")
    if not token:
        raise PublishRejected("Token akses akun belum diisi.", retryable=False)
    return {"Authorization": f"Bearer {token}"}
