"""Console login security: django-axes lock-outs with a back-off, and the security trail.

Lock-outs are per client address and per username + address (``AXES_LOCKOUT_PARAMETERS``), never
per username alone, so nobody can lock a named account out from elsewhere. Each further lock-out
of an address within a day doubles its cool-off (no captcha).
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from posko.core import audit_port
from posko.core.models import SecurityKind
from posko.core.ratelimit import client_address

BACKOFF_WINDOW = 24 * 3600
MAX_DOUBLINGS = 8  # 5 minutes × 2⁸ ≈ 21 hours at most


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: ``client_address`` (``POSKO_PROXY_HOPS``), None when it is not
    an IP address (django-axes stores it in an IP column)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def normalized_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    username = (credentials or {}).get("username") or ""
    return str(username).strip().lower()


def _address_key(prefix: str, address: str) -> str:
    return f"posko:{prefix}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def _lockouts(address: str) -> int:
    return int(cache.get(_address_key("lockouts", address), 0))


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: the base cool-off, doubled for each earlier lock-out of the address
    in the last day."""
    base = timedelta(minutes=settings.POSKO_LOGIN_COOLOFF_MINUTES)
    if request is None:
        return base
    doublings = min(max(_lockouts(client_address(request)) - 1, 0), MAX_DOUBLINGS)
    return base * (2**doublings)


def lockout_minutes(request: HttpRequest) -> int:
    return max(1, int(cool_off(request).total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the console's lock-out page (Indonesian first), 429."""
    response = TemplateResponse(
        request,
        "console/lockout.html",
        {"minutes": lockout_minutes(request)},
        status=429,
    )
    return response.render()


def record_security_event(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
    username: str = "",
    **data: Any,
) -> None:
    """One row in the one audit trail (the Polres of the officer, when the account is one)."""
    real_user = user if user is not None and user.is_authenticated else None
    if real_user is not None and not username:
        username = real_user.get_username()
    audit_port.record_change(
        None,
        kind,
        actor=real_user,  # type: ignore[arg-type]
        target=f"login:{username}"[:80],
        username=username[:150],
        address=client_address(request)[:64] if request is not None else "",
        **data,
    )


@receiver(user_locked_out)
def _count_lockout(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    address = client_address(request)
    marker = _address_key("locked", address)
    if cache.get(marker) is not None:
        return  # one lock-out is counted once, however many attempts it refuses
    counter = _address_key("lockouts", address)
    cache.add(counter, 0, timeout=BACKOFF_WINDOW)
    try:
        cache.incr(counter)
    except ValueError:  # evicted between add and incr
        cache.set(counter, 1, timeout=BACKOFF_WINDOW)
    cache.set(marker, 1, timeout=int(cool_off(request).total_seconds()))
    record_security_event(SecurityKind.LOCKED_OUT, request=request, username=username or "")


@receiver(user_logged_in)
def _record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:  # force_login in tests, the shell: no request, nothing to record
        record_security_event(SecurityKind.LOGIN, request=request, user=user)


@receiver(user_login_failed)
def _record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None:
        record_security_event(
            SecurityKind.LOGIN_FAILED,
            request=request,
            username=normalized_username(request, credentials),
        )
