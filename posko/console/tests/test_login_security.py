"""Console login security: django-axes lock-outs (per address and per user+address, with a
back-off) and two-factor (TOTP + recovery codes) for the roles in POSKO_2FA_ROLES."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from posko.aduan.models import AuditEvent
from posko.conftest import PASSWORD
from posko.org.models import Officer

LOGIN = "/posko/masuk/"
START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ATTACKER, REAL_USER = "198.51.100.66", "203.0.113.10"

pytestmark = pytest.mark.usefixtures("login_security")


def _login(client: Client, username: str = "operator", password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def _fail(client: Client, times: int, username: str = "operator") -> None:
    for attempt in range(times):
        _login(client, username, f"salah-{attempt}")


def _kinds(username: str) -> list[str]:
    rows = AuditEvent.objects.filter(target=f"login:{username}").order_by("created_at", "id")
    return list(rows.values_list("action", flat=True))


# --- lock-outs (django-axes) ----------------------------------------------------------------


def test_attacker_address_is_locked_but_the_real_user_still_logs_in(
    officers: dict[str, Officer], settings: Any
) -> None:
    settings.POSKO_2FA_ROLES = []
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(START, tick=False):
        _fail(attacker, settings.POSKO_LOGIN_FAILURES)
        blocked = _login(attacker)  # even the right password
        assert blocked.status_code == 429
        assert "Masuk dikunci sementara" in blocked.content.decode()
        assert "Coba lagi dalam 5 menit" in blocked.content.decode()
        assert "_auth_user_id" not in attacker.session
        # The address is locked for every username …
        assert _login(attacker, "kapolres").status_code == 429
        assert _login(attacker, " OPERATOR ").status_code == 429
        # … but the account is not: its owner logs in from another address.
        owner = Client(REMOTE_ADDR=REAL_USER)
        assert _login(owner).status_code == 302
        assert owner.session["_auth_user_id"] == str(officers["operator"].user.pk)
    assert "locked_out" in _kinds("operator")
    assert _kinds("operator").count("login_failed") >= settings.POSKO_LOGIN_FAILURES
    with time_machine.travel(START + timedelta(minutes=6), tick=False):
        assert _login(attacker).status_code == 302  # the cool-off is over


def test_lockouts_back_off(officers: dict[str, Officer], settings: Any) -> None:
    settings.POSKO_2FA_ROLES = []
    attacker = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.POSKO_LOGIN_FAILURES
    with time_machine.travel(START, tick=False):
        _fail(attacker, limit)
        assert _login(attacker).status_code == 429
    later = START + timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        _fail(attacker, limit)
        second = _login(attacker)
        assert second.status_code == 429
        assert "Coba lagi dalam 10 menit" in second.content.decode()
    with time_machine.travel(later + timedelta(minutes=7), tick=False):
        assert _login(attacker).status_code == 429  # twice as long as the first time
    with time_machine.travel(later + timedelta(minutes=11), tick=False):
        assert _login(attacker).status_code == 302


def test_lockout_per_client_behind_proxy(officers: dict[str, Officer], settings: Any) -> None:
    settings.POSKO_2FA_ROLES = []
    settings.POSKO_PROXY_HOPS = 1
    proxy = "10.0.0.1"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ATTACKER}")
    with time_machine.travel(START, tick=False):
        _fail(attacker, settings.POSKO_LOGIN_FAILURES)
        assert _login(attacker).status_code == 429
        # A forged left-most entry does not move the attacker elsewhere …
        forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"7.7.7.7, {ATTACKER}")
        assert _login(forged).status_code == 429
        # … and another client behind the same proxy is not locked.
        other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=REAL_USER)
        assert _login(other).status_code == 302


def test_lockout_page_in_english(officers: dict[str, Officer], settings: Any) -> None:
    settings.POSKO_2FA_ROLES = []
    attacker = Client(REMOTE_ADDR=ATTACKER)
    attacker.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(START, tick=False):
        _fail(attacker, settings.POSKO_LOGIN_FAILURES)
        page = _login(attacker)
    assert page.status_code == 429
    assert "Login temporarily locked" in page.content.decode()


# --- two-factor -----------------------------------------------------------------------------


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    at = int(time.time()) + steps_ahead * device.step
    return f"{_totp_at(device, at):06d}"


def _totp_at(device: TOTPDevice, at: int) -> int:
    from django_otp.oath import TOTP

    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = at
    return generator.token()


def _enrol(client: Client) -> list[str]:
    response = _login(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:two_factor_enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Aktifkan verifikasi dua langkah" in html
    device = TOTPDevice.objects.get(user__username="operator", confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    assert secret.group(1).replace(" ", "").encode() == __import__("base64").b32encode(
        device.bin_key
    )
    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 400
    time.sleep(1.1)  # django-otp's throttle after one failure
    done = client.post(response["Location"], {"code": f"{_totp_at(device, int(time.time())):06d}"})
    assert done.status_code == 302
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert codes_page["Cache-Control"] == "no-store"
    # Shown once.
    assert client.get(done["Location"]).status_code == 302
    return codes


def test_two_factor_enrol_then_totp_then_recovery_code_once(officers: dict[str, Officer]) -> None:
    client = Client(REMOTE_ADDR=REAL_USER)
    codes = _enrol(client)
    assert client.get(reverse("console:inbox")).status_code == 200
    device = TOTPDevice.objects.get(user__username="operator", confirmed=True)

    client.post(reverse("console:logout"))
    response = _login(client)
    assert response["Location"].startswith(reverse("console:two_factor"))
    # Password alone reaches no console page.
    inbox = client.get(reverse("console:inbox"))
    assert inbox.status_code == 302 and inbox["Location"].startswith(reverse("console:two_factor"))
    wrong = client.post(response["Location"], {"code": "123456"})
    assert wrong.status_code == 400
    assert "Kode salah atau sudah dipakai." in wrong.content.decode()
    time.sleep(1.1)  # django-otp's throttle after one failure
    ok = client.post(
        response["Location"], {"code": f"{_totp_at(device, int(time.time()) + 30):06d}"}
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("console:inbox")
    assert client.get(reverse("console:inbox")).status_code == 200

    client.post(reverse("console:logout"))
    response = _login(client)
    used = client.post(response["Location"], {"code": codes[0].upper()})
    assert used.status_code == 302
    assert StaticToken.objects.filter(device__user__username="operator").count() == 9

    client.post(reverse("console:logout"))
    response = _login(client)
    again = client.post(response["Location"], {"code": codes[0]})
    assert again.status_code == 400
    assert client.get(reverse("console:inbox")).status_code == 302

    kinds = _kinds("operator")
    for kind in ("login", "2fa_enrolled", "2fa_verified", "2fa_failed", "recovery_code_used"):
        assert kind in kinds, kind
    assert kinds.count("recovery_code_used") == 1


def test_forced_session_of_a_2fa_role_still_needs_the_code(officers: dict[str, Officer]) -> None:
    client = Client()
    client.force_login(officers["kapolres"].user)
    response = client.get(reverse("console:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:two_factor_enrol"))
    assert client.get(response["Location"]).status_code == 200


def test_roles_outside_the_list_and_the_demo_log_in_with_a_password(
    officers: dict[str, Officer], settings: Any
) -> None:
    petugas = Client()
    response = _login(petugas, "satlantas")
    assert response.status_code == 302 and response["Location"] == reverse("console:inbox")
    assert petugas.get(reverse("console:inbox")).status_code == 200
    settings.POSKO_2FA_ROLES = []  # `posko serve --demo` without POSKO_2FA_ROLES
    operator = Client()
    assert _login(operator)["Location"] == reverse("console:inbox")
    assert operator.get(reverse("console:inbox")).status_code == 200


def test_an_enrolled_user_cannot_enrol_a_second_device_with_the_password_only(
    officers: dict[str, Officer],
) -> None:
    client = Client()
    _enrol(client)
    client.post(reverse("console:logout"))
    _login(client)
    response = client.get(reverse("console:two_factor_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:two_factor"))
    assert TOTPDevice.objects.filter(user__username="operator").count() == 1


def test_reset_command_sends_the_user_back_to_enrolment(officers: dict[str, Officer]) -> None:
    from io import StringIO

    from django.core.management import call_command

    client = Client()
    _enrol(client)
    call_command("reset_2fa", "operator", "--reason", "ponsel hilang", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user__username="operator").exists()
    assert "2fa_reset" in _kinds("operator")
    client.post(reverse("console:logout"))
    assert _login(client)["Location"].startswith(reverse("console:two_factor_enrol"))
