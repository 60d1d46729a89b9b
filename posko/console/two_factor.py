"""Two-factor login for staff (TOTP + recovery codes, django-otp), required for the roles in
``POSKO_2FA_ROLES``. Password first (``LoginView``), then the code; a user of such a role with
no device yet enrols (QR code rendered here as SVG, the secret as text) before going on."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posko.aduan.access import officer_of
from posko.core.actions.two_factor import (
    confirmed_totp,
    do_confirm_enrolment,
    do_verify_second_factor,
    pending_totp,
)

RECOVERY_SESSION_KEY = "posko_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def two_factor_required(user: Any) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.role in settings.POSKO_2FA_ROLES


def two_factor_pending(request: HttpRequest) -> bool:
    """Logged in with the password, but the second factor this user needs is not done yet."""
    user = request.user
    # django-otp's middleware adds is_verified(); a user logged in during this very request
    # (the password step) does not have it yet and is not verified.
    is_verified = getattr(user, "is_verified", None)
    return two_factor_required(user) and not (is_verified is not None and is_verified())


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def second_step_url(request: HttpRequest, next_url: str) -> str:
    """Where a password-only session goes next: enrolment, or the code page."""
    name = "console:two_factor" if confirmed_totp(request.user) else "console:two_factor_enrol"  # type: ignore[arg-type]
    return f"{resolve_url(name)}?{urlencode({'next': next_url})}"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if not two_factor_pending(request):
        return redirect(next_url)
    if confirmed_totp(request.user) is None:  # type: ignore[arg-type]
        return redirect(second_step_url(request, next_url))
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        result = do_verify_second_factor(request, request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if result.ok:
            return redirect(next_url)
        form.add_error(
            "code",
            _("Terlalu banyak kode salah. Tunggu sebentar lalu coba lagi.")
            if result.throttled
            else _("Kode salah atau sudah dipakai."),
        )
        status = 400
    return render(
        request, "console/two_factor.html", {"form": form, "next": next_url}, status=status
    )


def _qr_svg(url: str) -> str:
    # segno writes plain SVG markup (no script, no style attribute): allowed by the CSP.
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#0b1f3a")


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if not two_factor_required(request.user) or confirmed_totp(request.user) is not None:  # type: ignore[arg-type]
        # Enrolled already: a second device is never added from a password-only session.
        return redirect(
            next_url if not two_factor_pending(request) else second_step_url(request, next_url)
        )
    device = pending_totp(request.user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        codes = do_confirm_enrolment(request, request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if codes:
            request.session[RECOVERY_SESSION_KEY] = codes
            return redirect(
                f"{resolve_url('console:recovery_codes')}?{urlencode({'next': next_url})}"
            )
        form.add_error("code", _("Kode salah. Periksa jam ponsel Anda lalu coba lagi."))
        status = 400
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - segno's own markup
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "console/two_factor_enrol.html", context, status=status)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, once: they leave the session as they are shown."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    next_url = _next_url(request)
    if not codes:
        return redirect(next_url)
    response = render(request, "console/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response
