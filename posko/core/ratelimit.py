"""Rate limits per client address, counted by django-ratelimit in the shared Django cache.

Only the client's address is Posko's own (``client_address``: it honours
``POSKO_PROXY_HOPS``, and django-axes uses the same function for login lock-outs). Counting,
windows and rate parsing ("5/10m") are django-ratelimit's.

Two calls express the portal's two-tier limit: ``hit`` counts an attempt and says whether the
client is now over the limit; ``is_limited`` asks whether the client has used the limit up,
without counting (so only accepted reports count against ``POSKO_RATE_REPORT`` while every
attempt counts against ``POSKO_RATE_REPORT_ATTEMPTS``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


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


def _client_key(group: str, request: HttpRequest) -> str:
    return client_address(request)


def hit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count one attempt of this client; True when it is over the limit."""
    usage = get_usage(request, group=scope, key=_client_key, rate=rate, increment=True)
    return bool(usage and usage["should_limit"])


def is_limited(request: HttpRequest, scope: str, rate: str) -> bool:
    """Whether this client has already used the limit up, without counting an attempt."""
    usage = get_usage(request, group=scope, key=_client_key, rate=rate, increment=False)
    return bool(usage and usage["count"] >= usage["limit"])


def _anonymous_key(group: str, request: HttpRequest) -> str:
    """A keyed hash of the address (HMAC with SECRET_KEY): it lets the cache count attempts
    without holding the address, and it cannot be reversed without the key."""
    import hashlib
    import hmac

    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{group}:{client_address(request)}".encode(), hashlib.sha256).hexdigest()


def hit_anonymous(request: HttpRequest, scope: str, rate: str) -> bool:
    """``hit`` for anonymous pages (``/info/``): counted under a keyed hash of the address,
    kept in the cache only for the rate's window, never written to the database or a log."""
    usage = get_usage(request, group=scope, key=_anonymous_key, rate=rate, increment=True)
    return bool(usage and usage["should_limit"])
