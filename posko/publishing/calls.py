"""HTTP calls of the publishers, through the channels' HTTP client, sorted by what their
failure means.

A *mutation* (the call that makes a post public) whose outcome is unknown — a timeout after the
request may have reached the platform, a connection dropped mid-answer, a 5xx — raises
``OutcomeUnknown``: the post may be live, so it is never sent again automatically. A clean
rejection raises ``PublishRejected``; ``retryable`` only when a retry can fix it (rate limit,
temporary refusal), with the platform's ``retry_after`` when it gives one. Preparatory calls
(media upload, container creation, status polling) publish nothing, so any of their transport
failures is a retryable rejection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from posko.channels.http import retry_after_header

# (response, body) -> (reason, retryable, retry_after seconds)
Describe = Callable[[httpx.Response, dict[str, Any]], tuple[str, bool, float | None]]


class PublishRejected(Exception):
    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class OutcomeUnknown(Exception):
    """The platform may or may not have published: an operator must check."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Published:
    external_id: str
    url: str = ""


# Transport errors raised before any byte of the request left: safe to retry.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}


def call(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    mutation: bool,
    describe: Describe,
    **kwargs: Any,
) -> dict[str, Any]:
    host = httpx.URL(url).host
    try:
        response = http.request(method, url, **kwargs)
    except NOT_SENT as exc:
        raise PublishRejected(
            f"Tidak dapat terhubung ke {host} ({exc.__class__.__name__}); belum ada yang terkirim.",
            retryable=True,
        ) from exc
    except httpx.HTTPError as exc:
        reason = f"Tidak ada jawaban pasti dari {host} ({exc.__class__.__name__})."
        if mutation:
            raise OutcomeUnknown(reason) from exc
        raise PublishRejected(reason, retryable=True) from exc
    body = _body(response)
    if response.is_success:
        return body
    reason, retryable, retry_after = describe(response, body)
    if response.status_code >= 500:
        if mutation:
            raise OutcomeUnknown(f"{reason} (galat server platform; mungkin sudah terbit)")
        retryable = True
    if response.status_code == 429:
        retryable = True
    if retry_after is None:
        retry_after = retry_after_header(response)
    raise PublishRejected(reason, retryable=retryable, retry_after=retry_after)
