"""The working console in a real browser: a citizen's darurat report appears in an open
operator inbox within 5 s, marked; a Bhabinkamtibmas's phone shows the first aduan above the
fold without sideways scrolling, with one tap to call or WhatsApp the reporter."""

from __future__ import annotations

import time
from typing import Any

import pytest

from posko.aduan.tests.factories import make_aduan
from posko.e2e.test_accessibility import _login, no_sideways_scroll
from posko.e2e.test_citizen_flow import DARURAT, shot
from posko.org.models import Officer, Unit


@pytest.mark.django_db(transaction=True)
def test_darurat_report_appears_in_the_open_inbox_within_5_seconds(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    make_aduan(polres, priority="sedang", text="Mohon info syarat SKCK")
    operator = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    inbox = operator.new_page()
    _login(inbox, live_server.url, "operator")
    assert inbox.locator("[data-testid=inbox] tbody tr[data-code]").count() == 1
    title_before = inbox.title()
    inbox.wait_for_timeout(2500)  # the first poll has taken its stamp

    citizen = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    lapor = citizen.new_page()
    lapor.goto(f"{live_server.url}/lapor/")
    lapor.fill("#id_text", DARURAT)
    lapor.check("#id_anonymous")
    lapor.check("#id_consent")
    lapor.click("form.form--public button[type=submit]")
    code = lapor.locator("[data-testid=tracking-code]").inner_text().strip()
    sent = time.monotonic()
    # On a 390-px phone the tracking code stays on one line, inside the screen.
    lines = lapor.evaluate(
        "() => { const r = document.createRange();"
        " r.selectNodeContents(document.getElementById('tracking-code'));"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
    )
    assert lines == 1
    assert no_sideways_scroll(lapor)
    shot(lapor, "23-terkirim-phone")

    row = inbox.locator(f"tr[data-code='{code}'].row--new")
    row.wait_for(state="visible", timeout=5000)
    assert time.monotonic() - sent < 5
    assert "Darurat" in row.inner_text()
    assert inbox.title() != title_before and inbox.title().startswith("(1)")
    assert inbox.locator("#inbox-live").get_attribute("data-alerts") == "1"
    shot(inbox, "20-live-darurat")

    # Opened: no longer marked, in this tab or any other.
    row.locator(f"text={code}").first.click()
    inbox.wait_for_load_state()
    inbox.go_back()
    inbox.wait_for_selector(f"tr[data-code='{code}']")
    assert inbox.locator(f"tr[data-code='{code}'].row--new").count() == 0
    citizen.close()
    operator.close()


def _field_phone_inbox(page: Any) -> None:
    """A field officer's inbox on a 390×844 phone: no bulk actions, the saved views and the
    filters folded, the first aduan entirely above the fold, no sideways scrolling."""
    assert page.locator("[data-testid=bulk-form]").count() == 0
    assert page.locator("[data-bulk-pick]").count() == 0
    views = page.locator("[data-testid=saved-views-box]")
    assert views.count() == 1 and views.get_attribute("open") is None
    assert not page.locator("[data-testid=saved-views]").is_visible()
    assert page.locator(".saved-views-box > summary").is_visible()
    assert page.locator("details.filters-box").get_attribute("open") is None
    first = page.locator("[data-testid=inbox] tbody tr[data-code]").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    assert no_sideways_scroll(page)
    # One tap unfolds the saved views.
    page.locator(".saved-views-box > summary").click()
    assert page.locator("[data-testid=saved-views]").is_visible()
    page.locator(".saved-views-box > summary").click()


@pytest.mark.django_db(transaction=True)
def test_polsek_officer_phone_layout(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    for n in range(8):
        make_aduan(polres, desa="19.06.02.2002", text=f"Laporan warga nomor {n} di Selingsing")
    phone = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _login(page, live_server.url, "polsek.gantung")
    _field_phone_inbox(page)
    shot(page, "24-polsek-phone-inbox")
    phone.close()


@pytest.mark.django_db(transaction=True)
def test_bhabinkamtibmas_phone_layout(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    desa = "19.06.02.2001"  # bhabin.gantung's desa
    for n in range(8):
        make_aduan(polres, desa=desa, text=f"Laporan warga nomor {n} tentang jalan desa")
    reported = make_aduan(
        polres,
        priority="tinggi",
        desa=desa,
        reporter_name="Warga Gantung",
        reporter_phone="+6281234567890",
    )
    anonymous = make_aduan(polres, priority="rendah", desa=desa)
    phone = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _login(page, live_server.url, "bhabin.gantung")
    _field_phone_inbox(page)
    first = page.locator("[data-testid=inbox] tbody tr[data-code]").first
    # Their own filters only: no Polres-wide unit, Polsek or channel pickers.
    for name in ("unit", "polsek", "channel"):
        assert page.locator(f".filters [name={name}]").count() == 0
    link = first.locator(".cell-text a")
    link_box = link.bounding_box()
    assert link_box is not None and link_box["height"] >= 44
    shot(page, "21-bhabin-phone-inbox")

    page.goto(f"{live_server.url}/posko/aduan/{reported.code}/")
    contact = page.locator("[data-testid=reporter-contact]")
    assert contact.locator("a[href='tel:+6281234567890']").is_visible()
    assert contact.locator("a[href='https://wa.me/6281234567890']").is_visible()
    assert no_sideways_scroll(page)
    shot(page, "22-bhabin-phone-aduan")
    page.goto(f"{live_server.url}/posko/aduan/{anonymous.code}/")
    assert page.locator("[data-testid=reporter-contact]").count() == 0

    # Installable: manifest and a service worker whose scope is the console.
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["scope"] == "/posko/" and manifest["display"] == "standalone"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/posko/"
    phone.close()
