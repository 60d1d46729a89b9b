"""A citizen reports at /lapor/, the operator sees it at the top of the inbox and replies,
the citizen reads the reply at /lacak/<code>/ — in a real browser against a live server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from posko.aduan.actions import do_submit_aduan
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit

DARURAT = "tolong pak ada tawuran bawa sajam di depan pasar Gantung sekarang"
SCREENSHOTS = os.environ.get("POSKO_SCREENSHOT_DIR")


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_report_reply_track(
    page: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    # Earlier, less urgent aduan already in the inbox.
    do_submit_aduan(polres, text="Mohon info syarat perpanjangan SIM C", channel="web")
    do_submit_aduan(polres, text="Lampu lalu lintas di simpang Manggar mati", channel="sms")

    # 1. The citizen files a report.
    page.goto(f"{live_server.url}/lapor/")
    page.fill("#id_text", DARURAT)
    page.fill("#id_name", "Warga Gantung")
    page.fill("#id_phone", "0812 3456 7890")
    page.check("#id_consent")
    shot(page, "01-lapor")
    page.click("form.form--public button[type=submit]")
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert code.startswith("BLT-")
    shot(page, "02-terkirim")

    # 2. The operator logs in and finds it at the top of the inbox.
    page.goto(f"{live_server.url}/posko/masuk/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    first_row = page.locator("[data-testid=inbox] tbody tr").first
    assert code in first_row.inner_text()
    assert "Darurat" in first_row.inner_text()
    shot(page, "03-inbox")

    # 3. The operator opens it: routed to Polsek Gantung, SLA shown; replies publicly.
    first_row.locator(f"text={code}").click()
    assert "Polsek Gantung" in page.content()
    assert page.locator("[data-testid=sla]").is_visible()
    reply = "Anggota Samapta dan Polsek Gantung sedang menuju lokasi. Tetap jaga jarak aman."
    page.fill("#id_text", reply)
    page.click("form.reply-form button[type=submit]")
    assert page.locator("[data-testid=message-public_reply]").first.is_visible()
    page.fill("#id_text", "Catatan: koordinasi dengan Polsek Gantung via HT.")
    page.check("#id_internal")
    page.click("form.reply-form button[type=submit]")
    shot(page, "04-aduan")

    # 4. The citizen tracks the report and reads the reply, not the internal note.
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_kode", code.lower())
    page.click("form.form--inline button[type=submit]")
    assert page.locator("[data-testid=public-reply]").inner_text().startswith(reply[:30])
    body = page.content()
    assert "koordinasi dengan Polsek Gantung via HT" not in body
    assert "Warga Gantung" not in body and "3456" not in body
    shot(page, "05-lacak")
