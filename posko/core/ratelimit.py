"""Fixed-window rate limits per client, kept in the shared Django cache."""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/10m"`` → (5, 600)."""
    match = _RATE_RE.match(rate.strip())
    if not match:
        raise ValueError(f"invalid rate {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _PERIODS[unit]


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind ``POSKO_PROXY_HOPS`` trusted reverse proxies (nginx …),
    the address the nearest proxy saw, taken from the right end of X-Forwarded-For (entries
    further left are supplied by the client and cannot be trusted)."""
    hops = settings.POSKO_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _window_key(scope: str, key: str, period: int) -> str:
    window = int(time.time() // period)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}"


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one attempt; return True when the client is over the limit."""
    limit, period = parse_rate(rate)
    cache_key = _window_key(scope, key, period)
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=period + 5)
        count = 1
    return count > limit


def is_limited(scope: str, key: str, rate: str) -> bool:
    """Whether the client is already at the limit, without counting an attempt."""
    limit, period = parse_rate(rate)
    return int(cache.get(_window_key(scope, key, period), 0)) >= limit
