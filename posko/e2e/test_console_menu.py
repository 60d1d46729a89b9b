"""The console menu stays on one line for every role: at 1366 px all its items share one row
(the Kapolres's menu used to wrap), at 390 px it is one row that scrolls sideways inside the
header and the page itself never does. The new settings pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest

from posko.e2e.test_accessibility import _login, axe_violations, no_sideways_scroll
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer

ROLES = ["operator", "kapolres", "admin", "bhabin.gantung", "propam"]

NAV_TOPS = "[...document.querySelectorAll('.con-nav a')].map(a => a.offsetTop)"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_every_roles_menu_is_one_line(
    browser: Any, live_server: Any, officers: dict[str, Officer], width: int
) -> None:
    for username in ROLES:
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 800})
        page = context.new_page()
        page.set_default_timeout(120_000)  # a loaded shared machine
        _login(page, live_server.url, username)
        tops = page.evaluate(NAV_TOPS)
        assert len(tops) >= 3 and len(set(tops)) == 1, (username, width, tops)
        assert no_sideways_scroll(page), (username, width)
        if username in ("kapolres", "operator"):
            shot(page, f"menu-{username}-{width}")
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_work_settings_pages_in_the_browser(
    browser: Any, live_server: Any, officers: dict[str, Officer], width: int
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(120_000)
    _login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/posko/administrasi/")
    page.click("text=Penugasan otomatis")
    page.wait_for_url("**/posko/pengaturan/penugasan/")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    form = page.locator("[data-testid=unit-auto-assign] form").first
    form.locator("select").select_option("least_open")
    form.locator("input[type=number]").fill("-3")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Kapasitas tidak boleh kurang dari 0." in page.content()
    assert axe_violations(page) == []
    shot(page, f"assignment-settings-error-{width}")
    form = page.locator("[data-testid=unit-auto-assign] form").first
    form.locator("input[type=number]").fill("4")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "disimpan" in page.locator(".flash").inner_text()
    page.locator("[data-testid=officer-leave] button").first.click()
    page.wait_for_load_state()
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    shot(page, f"assignment-settings-{width}")

    page.goto(f"{live_server.url}/posko/pengaturan/persetujuan-balasan/")
    page.fill("#id_approval_min_reports", "1")
    page.click("[data-testid=reply-policy] button[type=submit]")
    page.wait_for_load_state()
    assert "Paling sedikit 2 laporan." in page.content()
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.fill("#id_approval_min_reports", "7")
    page.click("[data-testid=reply-policy] button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#id_approval_min_reports") == "7"
    assert axe_violations(page) == []
    shot(page, f"reply-policy-settings-{width}")
    context.close()
