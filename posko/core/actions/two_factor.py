"""Two-factor (TOTP with recovery codes, django-otp): enrolment, verification, reset.

Each step is audited in the one audit trail (``record_security_event``). Which users must use
it is the console's policy (``posko.console.two_factor.two_factor_required``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import django_otp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from posko.core.login_security import record_security_event
from posko.core.models import SecurityKind

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "posko"


@dataclass(frozen=True)
class Verification:
    ok: bool
    method: str = ""  # "totp" | "recovery"
    throttled: bool = False


def normalize_code(raw: str) -> str:
    """What the user typed → a token: spaces and dashes dropped, lower case."""
    return re.sub(r"[\s-]+", "", raw or "").lower()[:32]


def confirmed_totp(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made on first call, kept across reloads so
    the QR code a user already scanned stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def do_confirm_enrolment(request: HttpRequest, user: AbstractBaseUser, code: str) -> list[str]:
    """Confirm the pending device with its first code; on success make 10 recovery codes, mark
    this session verified and return the codes (shown once). Empty list: wrong code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or confirmed_totp(user) is not None:
            return []
        if not device.verify_token(normalize_code(code)):
            record_security_event(
                SecurityKind.TWO_FACTOR_FAILED, request=request, user=user, step="enrolment"
            )
            return []
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
        record_security_event(SecurityKind.TWO_FACTOR_ENROLLED, request=request, user=user)
    django_otp.login(request, device)
    return codes


def do_verify_second_factor(
    request: HttpRequest, user: AbstractBaseUser, code: str
) -> Verification:
    """A TOTP code (6 digits), or a recovery code (usable once), completes this session's
    login. django-otp throttles each device after failures (growing delays)."""
    token = normalize_code(code)
    method = "totp" if re.fullmatch(r"\d{6}", token) else "recovery"
    device: TOTPDevice | StaticDevice | None
    if method == "totp":
        device = confirmed_totp(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    throttled = device is not None and not device.verify_is_allowed()[0]
    with transaction.atomic():
        if device is not None and token and not throttled and device.verify_token(token):
            if method == "recovery":
                left = StaticToken.objects.filter(device=device).count()
                record_security_event(
                    SecurityKind.RECOVERY_CODE_USED, request=request, user=user, left=left
                )
            record_security_event(
                SecurityKind.TWO_FACTOR_VERIFIED, request=request, user=user, method=method
            )
            django_otp.login(request, device)
            return Verification(ok=True, method=method)
        record_security_event(
            SecurityKind.TWO_FACTOR_FAILED,
            request=request,
            user=user,
            step="login",
            method=method,
            throttled=throttled,
        )
    return Verification(ok=False, method=method, throttled=throttled)


def do_reset_two_factor(user: AbstractBaseUser, *, reason: str = "") -> int:
    """Remove every device of a user (lost phone): they enrol again at their next login."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        record_security_event(SecurityKind.TWO_FACTOR_RESET, user=user, reason=reason)
    return removed
