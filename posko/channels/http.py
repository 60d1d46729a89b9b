"""The outbound HTTP client for platform APIs (httpx), and mapping of HTTP failures to
``SendError`` (429 and 5xx retryable, honouring Retry-After; a timeout, a dropped answer or
a 5xx leaves the outcome unknown)."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from posko.channels.base import SendError

# Transport errors raised before any byte of the request left: nothing reached the platform.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def client() -> httpx.Client:
    return httpx.Client(
        timeout=settings.POSKO_CHANNEL_HTTP_TIMEOUT,
        headers={"User-Agent": "Posko/1.0"},
        follow_redirects=True,
    )


def retry_after_header(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def request_json(
    http: httpx.Client, method: str, url: str, *, describe_error: Any = None, **kwargs: Any
) -> dict[str, Any]:
    """Send a request; return the JSON body on 2xx, raise ``SendError`` otherwise.

    ``describe_error(response, body) -> (reason, retryable, retry_after)`` lets an adapter
    read the platform's own error format."""
    try:
        response = http.request(method, url, **kwargs)
    except NOT_SENT as exc:
        raise SendError(f"Gagal terhubung: {exc.__class__.__name__}", retryable=True) from exc
    except httpx.TimeoutException as exc:
        raise SendError(
            f"Waktu habis menghubungi {httpx.URL(url).host}", retryable=True, outcome_unknown=True
        ) from exc
    except httpx.HTTPError as exc:
        raise SendError(
            f"Tidak ada jawaban pasti: {exc.__class__.__name__}",
            retryable=True,
            outcome_unknown=True,
        ) from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {"data": body}
    if response.is_success:
        return body
    reason, retryable, retry_after = f"HTTP {response.status_code}", False, None
    if describe_error is not None:
        reason, retryable, retry_after = describe_error(response, body)
    if response.status_code == 429 or response.status_code >= 500:
        retryable = True
    retry_after = retry_after if retry_after is not None else retry_after_header(response)
    raise SendError(
        reason,
        retryable=retryable,
        retry_after=retry_after,
        outcome_unknown=response.status_code >= 500,
    )


def get_bytes(http: httpx.Client, url: str, *, max_bytes: int, **kwargs: Any) -> tuple[bytes, str]:
    """Download a media file (bounded); raise ``SendError`` (retryable) on failure."""
    try:
        with http.stream("GET", url, **kwargs) as response:
            if not response.is_success:
                raise SendError(
                    f"Unduh media gagal: HTTP {response.status_code}",
                    retryable=response.status_code == 429 or response.status_code >= 500,
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise SendError("Media terlalu besar", retryable=False)
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("Content-Type", "")
    except httpx.HTTPError as exc:
        raise SendError(f"Unduh media gagal: {exc.__class__.__name__}", retryable=True) from exc
