"""Browser: the /lapor/ map pin (and its fallback when tiles cannot load), location only on
request, the secret-link page, and the training sandbox — screenshots at 390 and 1366 px and
axe-core with no violations."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.e2e.test_accessibility import VIEWPORTS, _login, axe_violations, no_sideways_scroll
from posko.e2e.test_citizen_flow import shot
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

TILES = re.compile(r"https://tile\.openstreetmap\.org/.*")
TEXT = "Lampu jalan di depan SD Gantung mati sejak seminggu, gelap dan rawan."


def _tile() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (221, 232, 221)).save(buf, format="PNG")
    return buf.getvalue()


def _fill_report(page: Any) -> None:
    page.fill("#id_text", TEXT)
    page.check("#id_anonymous")
    page.check("#id_consent")


@pytest.mark.django_db(transaction=True)
def test_desa_picker_works_when_tiles_cannot_load(
    browser: Any, live_server: Any, polres: Unit
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route(TILES, lambda route: route.abort())
    page.goto(f"{live_server.url}/lapor/")
    status = page.locator("[data-map-status]")
    status.wait_for()
    expect(page.locator("#lapor-map")).to_be_hidden()  # no page-side eval (CSP forbids it)
    assert "Peta tidak dapat dimuat" in status.inner_text()
    # No location asked before the reporter presses the button.
    assert page.input_value("input[name=latitude]") == ""
    _fill_report(page)
    page.select_option("#id_desa", "19.06.02.2001")
    shot(page, "h7b-lapor-no-tiles-390")
    assert axe_violations(page) == []
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/lapor/terkirim/"))
    aduan = Aduan.objects.get()
    assert aduan.desa_id == "19.06.02.2001" and aduan.latitude is None
    context.close()


@pytest.mark.django_db(transaction=True)
def test_pin_on_the_map_and_location_on_request(
    browser: Any, live_server: Any, polres: Unit
) -> None:
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": 1366, "height": 900},
        geolocation={"latitude": -2.8765, "longitude": 108.2812},
        permissions=["geolocation"],
    )
    page = context.new_page()
    tile = _tile()
    page.route(TILES, lambda route: route.fulfill(status=200, content_type="image/png", body=tile))
    page.goto(f"{live_server.url}/lapor/")
    page.wait_for_selector("#lapor-map .leaflet-tile-loaded")
    assert page.input_value("input[name=latitude]") == ""
    page.click("#lapor-map", position={"x": 200, "y": 150})
    assert page.input_value("input[name=latitude]") != ""
    page.click("[data-locate]")
    expect(page.locator("input[name=latitude]")).to_have_value("-2.876500")
    _fill_report(page)
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"h7b-lapor-map-{name}")
        assert axe_violations(page) == [], name
        assert no_sideways_scroll(page) or name == "desktop"
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/lapor/terkirim/"))
    link = page.locator("#reporter-link").inner_text()
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"h7b-lapor-terkirim-{name}")
        assert axe_violations(page) == [], name
    aduan = Aduan.objects.get()
    assert (aduan.latitude, aduan.longitude) == (Decimal("-2.876500"), Decimal("108.281200"))
    # The secret link page.
    page.goto(link)
    page.fill("#id_text", "Tiangnya juga miring, dekat warung.")
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"h7b-tambah-informasi-{name}")
        assert axe_violations(page) == [], name
        assert no_sideways_scroll(page), name
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=informasi Anda sudah kami terima")
    assert aduan.messages.count() == 2
    context.close()


@pytest.mark.django_db(transaction=True)
def test_training_pages(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    make_aduan(
        polres,
        text=(
            "Pak Budi dari Jl. Melati No. 4 kehilangan motor plat BN 2231 QA, hubungi 081377665544"
        ),
        category="pencurian",
        handling_unit=satuan_of(polres, "satreskrim"),
        status="selesai",
        reporter_name="Budi Hartono",
    )
    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
        page = context.new_page()
        _login(page, live_server.url, "operator" if name == "desktop" else "bhabin.gantung")
        page.goto(f"{live_server.url}/posko/latihan/")
        shot(page, f"h7b-latihan-{name}")
        assert axe_violations(page) == [], name
        page.click("[data-testid=start-exercise]")
        page.wait_for_selector("[data-testid=exercise-text]")
        text = page.inner_text("[data-testid=exercise-text]")
        assert "Budi" not in text and "081377665544" not in text and "BN 2231" not in text
        shot(page, f"h7b-latihan-soal-{name}")
        assert axe_violations(page) == [], name
        assert no_sideways_scroll(page), name
        page.select_option("#id_category", "pencurian")
        page.select_option("#id_priority", "sedang")
        page.select_option("#id_unit", label="Satreskrim")
        code = page.inner_text("h1 .mono")
        page.fill(
            "#id_reply",
            f"Selamat siang Bapak, terima kasih. Laporan {code} sedang kami tindak lanjuti.",
        )
        page.click("[data-testid=exercise-form] button[type=submit]")
        page.wait_for_selector("[data-testid=exercise-result]")
        shot(page, f"h7b-latihan-hasil-{name}")
        assert axe_violations(page) == [], name
        context.close()
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    _login(page, live_server.url, "kapolres")
    page.goto(f"{live_server.url}/posko/latihan/rekap/")
    shot(page, "h7b-latihan-rekap-desktop")
    assert axe_violations(page) == []
    assert "Operator" in page.inner_text("[data-testid=training-records]")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "h7b-latihan-rekap-phone")
    assert axe_violations(page) == []
    context.close()
