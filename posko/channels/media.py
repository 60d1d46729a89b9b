"""Fetching media from platforms without being abused, and cleaning channel photos.

Every channel download goes through ``safe_download``:

- only from the platform's own media hosts (``MEDIA_HOSTS`` plus the
  ``POSKO_CHANNEL_MEDIA_HOSTS`` setting, which the local test fakes use), https only except for
  hosts listed in that setting;
- redirects are followed by hand, at most ``MAX_REDIRECTS``, and each hop must again be an
  allowed host;
- the access token goes only to ``token_hosts`` (the platform API and, for WhatsApp, its media
  host), never to a CDN or to a redirect target outside them;
- the size limit is enforced from ``Content-Length`` and again while streaming; the client's
  timeouts apply to every read and the whole download has a deadline.

Platform ids that become part of an API path are checked by ``api_path`` (strict charset, then
percent-quoted), so an id such as ``../../x?`` cannot leave the API path.

``clean_channel_photo`` re-encodes a channel image exactly like a portal upload (one shared
function, ``posko.aduan.photos.clean_photo_bytes``): EXIF/GPS and other metadata are dropped
and the pixel count is checked before decoding.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from urllib.parse import quote

import httpx
from django.conf import settings

from posko.aduan.photos import CleanPhoto, clean_photo_bytes
from posko.channels.base import SendError

MAX_REDIRECTS = 3
# A whole download (all hops, all chunks) may take this many HTTP timeouts: a server dripping
# bytes slowly cannot hold a worker, even though every single read is within the timeout.
DEADLINE_TIMEOUTS = 4
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,200}")
# The platforms' own media hosts ("*." matches any sub-domain).
MEDIA_HOSTS: dict[str, tuple[str, ...]] = {
    # GET /{media-id} answers with a lookaside.fbsbx.com URL that needs the bearer token.
    "whatsapp": ("lookaside.fbsbx.com",),
    "instagram": ("*.cdninstagram.com", "*.fbcdn.net", "lookaside.fbsbx.com"),
    "facebook": ("*.fbcdn.net", "*.fbsbx.com", "*.cdninstagram.com"),
    "x": ("pbs.twimg.com", "video.twimg.com"),
}


def valid_id(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch(value))


def api_path(base_url: str, *segments: str) -> str:
    """``base_url/seg1/seg2`` with every segment checked and quoted; raises ``SendError``
    (not retryable) for an id that is not a plain platform id."""
    for segment in segments:
        if not valid_id(segment):
            raise SendError(f"Id platform tidak valid: {segment[:40]!r}", retryable=False)
    return "/".join([base_url.rstrip("/"), *(quote(s, safe="") for s in segments)])


def extra_hosts() -> tuple[str, ...]:
    value = getattr(settings, "POSKO_CHANNEL_MEDIA_HOSTS", ())
    if isinstance(value, str):
        value = value.split(",")
    return tuple(h.strip().lower() for h in value if h.strip())


def media_hosts(platform: str) -> tuple[str, ...]:
    return MEDIA_HOSTS.get(platform, ()) + extra_hosts()


def host_matches(url: httpx.URL, patterns: Iterable[str]) -> bool:
    """Whether the URL's host (or ``host:port``) is one of the patterns."""
    host = (url.host or "").lower().rstrip(".")
    if not host:
        return False
    netloc = f"{host}:{url.port}" if url.port else host
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif pattern in (host, netloc):
            return True
    return False


def _check_url(url: httpx.URL, allowed: tuple[str, ...]) -> None:
    if not host_matches(url, allowed):
        raise SendError(f"Host media tidak diizinkan: {url.host}", retryable=False)
    if url.scheme != "https" and not (url.scheme == "http" and host_matches(url, extra_hosts())):
        raise SendError("Media hanya diunduh lewat https.", retryable=False)


def safe_download(
    http: httpx.Client,
    url: str,
    *,
    allowed_hosts: tuple[str, ...],
    max_bytes: int,
    token: str = "",
    token_hosts: tuple[str, ...] = (),
) -> tuple[bytes, str]:
    """Download one media file under the rules above; ``(bytes, content type)``.

    Raises ``SendError``: retryable for network trouble, timeouts, 429 and 5xx; not retryable
    for a refused host, scheme, redirect or size."""
    try:
        current = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise SendError("URL media tidak valid.", retryable=False) from exc
    deadline = time.monotonic() + DEADLINE_TIMEOUTS * float(settings.POSKO_CHANNEL_HTTP_TIMEOUT)
    for _hop in range(MAX_REDIRECTS + 1):
        _check_url(current, allowed_hosts)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if token and not host_matches(current, token_hosts):
            headers = {}
        try:
            with http.stream("GET", current, headers=headers, follow_redirects=False) as response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    current = current.join(location)
                    continue
                return _read_bounded(response, max_bytes, deadline)
        except httpx.TimeoutException as exc:
            raise SendError("Unduh media gagal: waktu habis", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise SendError(f"Unduh media gagal: {exc.__class__.__name__}", retryable=True) from exc
    raise SendError("Unduh media gagal: terlalu banyak pengalihan", retryable=False)


def _read_bounded(response: httpx.Response, max_bytes: int, deadline: float) -> tuple[bytes, str]:
    if not response.is_success:
        raise SendError(
            f"Unduh media gagal: HTTP {response.status_code}",
            retryable=response.status_code == 429 or response.status_code >= 500,
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SendError("Media terlalu besar", retryable=False)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SendError("Media terlalu besar", retryable=False)
        if time.monotonic() > deadline:
            raise SendError("Unduh media gagal: terlalu lama", retryable=True)
        chunks.append(chunk)
    return b"".join(chunks), response.headers.get("Content-Type", "")


def clean_channel_photo(data: bytes, name: str = "foto") -> CleanPhoto | None:
    """The image re-encoded without metadata (as for portal photos), or None when it is not a
    usable JPEG/PNG/WEBP photo (wrong type, too many pixels, broken)."""
    from django.core.exceptions import ValidationError

    try:
        return clean_photo_bytes(data, name)
    except ValidationError:
        return None
