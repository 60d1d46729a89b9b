"""Two-factor login in a real browser: enrol (QR + secret), log in with a TOTP code, log in
with a recovery code, which is refused the second time. No script, strict CSP."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from posko.conftest import PASSWORD
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer

# Where the Kapolres lands after logging in (the command view, issue 12).
KAPOLRES_HOME = "Ruang komando"


def _totp(secret: str, *, steps_ahead: int = 0) -> str:
    generator = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def _password_step(page: Any, url: str) -> None:
    page.goto(f"{url}/posko/masuk/")
    page.fill("#id_username", "kapolres")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()


def _logout(page: Any) -> None:
    page.click(".con-header form[action$='/keluar/'] button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Masuk"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("login_security")
def test_enrol_then_totp_then_recovery_code_once(
    page: Any, live_server: Any, officers: dict[str, Officer]
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)

    # Enrolment: QR code (inline SVG) and the secret as text.
    _password_step(page, live_server.url)
    assert page.locator("h1").inner_text() == "Aktifkan verifikasi dua langkah"
    assert page.locator(".qr svg").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    shot(page, "20-2fa-daftar")
    enrolled_step = int(time.time() // 30)
    page.fill("#id_code", _totp(secret))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Kode pemulihan"
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    shot(page, "21-2fa-kode-pemulihan")
    page.click("text=Saya sudah menyimpannya, lanjutkan")
    assert page.locator("h1").inner_text().startswith(KAPOLRES_HOME)
    _logout(page)

    # Password, then the TOTP code of a later time step than the enrolment's (a code is
    # accepted once): wait for the next step rather than guess ahead, which the device's
    # drift tracking may refuse on a slow machine.
    while int(time.time() // 30) <= enrolled_step:
        time.sleep(0.5)
    _password_step(page, live_server.url)
    assert page.locator("h1").inner_text() == "Verifikasi dua langkah"
    page.fill("#id_code", _totp(secret))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(KAPOLRES_HOME)
    _logout(page)

    # A recovery code works once …
    _password_step(page, live_server.url)
    page.fill("#id_code", codes[3])
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(KAPOLRES_HOME)
    _logout(page)

    # … and only once.
    _password_step(page, live_server.url)
    page.fill("#id_code", codes[3])
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Verifikasi dua langkah"
    assert "Kode salah atau sudah dipakai." in page.content()
    page.goto(f"{live_server.url}/posko/")
    assert page.locator("h1").inner_text() == "Verifikasi dua langkah"
    assert problems == []  # nothing refused by the Content-Security-Policy
