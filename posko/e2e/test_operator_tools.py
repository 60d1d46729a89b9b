"""Operator tools in a real browser: keyboard shortcuts, canned reply insertion, the reply
check while typing, the officer picker filtered by unit."""

from __future__ import annotations

from typing import Any

import pytest

from posko.aduan.tests.factories import make_aduan
from posko.e2e.test_accessibility import _login, axe_violations
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer, Unit
from posko.workbench.actions import do_save_canned_reply


@pytest.mark.django_db(transaction=True)
def test_shortcuts_canned_reply_and_reply_check(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    first = make_aduan(polres, priority="darurat", reporter_name="Budi", desa="19.06.02.2001")
    make_aduan(polres, priority="sedang")
    do_save_canned_reply(
        polres,
        title="Diterima",
        text="Yth. {nama_pelapor}, laporan {kode} di {desa} sedang kami tindak lanjuti.",
        acting_user=officers["admin"].user,
    )
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    _login(page, live_server.url, "operator")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent.trim()") == first.code
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/posko/aduan/{first.code}/")

    page.fill("#id_text", "Oke.")
    page.locator("[data-testid=reply-check]").get_by_text("Kode lacak").wait_for(timeout=5000)
    page.fill("#id_text", "")
    page.select_option("[data-testid=canned]", label="Diterima")
    assert page.input_value("#id_text") == (
        f"Yth. Budi, laporan {first.code} di Gantung sedang kami tindak lanjuti."
    )
    page.locator("#id_text").dispatch_event("input")
    page.wait_for_timeout(1500)
    assert "Kode lacak" not in page.locator("[data-testid=reply-check]").inner_text()

    # The officer picker lists only the chosen unit's officers.
    samapta = officers["samapta"]
    page.select_option("#id_unit", value=str(samapta.unit_id))
    visible = page.evaluate(
        "[...document.querySelectorAll('#id_officer option')].filter(o => !o.hidden && o.value)"
        ".map(o => o.dataset.unit)"
    )
    assert visible and set(visible) == {str(samapta.unit_id)}
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "id_text"
    assert axe_violations(page) == []
    shot(page, "30-operator-tools")
    context.close()
