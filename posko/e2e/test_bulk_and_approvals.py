"""Bulk assignment in a real browser at 1366 px (tick rows, the bar opens, htmx answers in
place), the inbox with its bulk bar and saved views at 390 px, and the pimpinan's approval
page — each with 0 axe-core violations."""

from __future__ import annotations

from typing import Any

import pytest

from posko.aduan.actions.approvals import do_submit_reply_draft
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.e2e.test_accessibility import _login, axe_violations, no_sideways_scroll
from posko.e2e.test_citizen_flow import shot
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit
from posko.workbench.macros import do_save_view


@pytest.mark.django_db(transaction=True)
def test_bulk_assign_at_1366(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    aduans = [
        make_aduan(polres, category="lalu_lintas", text=f"Lampu lalu lintas mati nomor {i}")
        for i in range(3)
    ]
    do_save_view(
        "Lalu lintas", "category=lalu_lintas", shared=False, acting_user=officers["operator"].user
    )
    samapta = satuan_of(polres, "samapta")
    assert samapta is not None
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    _login(page, live_server.url, "operator")
    assert page.locator("[data-testid=saved-views]").get_by_text("Lalu lintas").is_visible()
    assert not page.locator("[data-testid=bulk-bar]").is_visible()  # folded until a tick
    for aduan in aduans[:2]:
        page.check(f"input[name=codes][value='{aduan.code}']")
    assert page.locator("[data-testid=bulk-bar]").is_visible()
    assert page.locator("[data-bulk-count]").inner_text() == "2"
    page.select_option("#bulk_action", value="assign")
    page.select_option("#bulk_unit", value=str(samapta.pk))
    assert axe_violations(page) == []
    shot(page, "40-inbox-bulk-1366")
    page.get_by_role("button", name="Terapkan ke yang dipilih").click()
    page.locator("[data-testid=bulk-result]").wait_for(timeout=5000)
    assert "2 aduan diperbarui" in page.locator("[data-testid=bulk-result]").inner_text()
    units = {a.code: a.handling_unit_id for a in Aduan.objects.all()}
    assert units[aduans[0].code] == units[aduans[1].code] == samapta.pk
    assert units[aduans[2].code] != samapta.pk
    # Select all on the page, from the header checkbox.
    page.check("#bulk-all")
    assert page.locator("input[name=codes]:checked").count() == 3
    assert axe_violations(page) == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_inbox_bulk_bar_on_a_phone(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer]
) -> None:
    first = make_aduan(polres, priority="darurat", text="Kecelakaan di jalan raya Manggar")
    make_aduan(polres, priority="sedang")
    do_save_view("Darurat", "status=baru", shared=True, acting_user=officers["admin"].user)
    context = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    _login(page, live_server.url, "operator")
    page.check(f"input[name=codes][value='{first.code}']")
    assert page.locator("[data-testid=bulk-bar]").is_visible()
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    shot(page, "41-inbox-bulk-390")
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_approval_page(
    browser: Any, live_server: Any, polres: Unit, officers: dict[str, Officer], width: int
) -> None:
    satlantas = satuan_of(polres, "satlantas")
    aduan = make_aduan(
        polres,
        text="Oknum Satlantas minta uang damai saat razia",
        category="pelanggaran_anggota",
        priority="tinggi",
        subject_unit=satlantas,
    )
    do_submit_reply_draft(
        aduan,
        f"Yth. Pelapor, laporan {aduan.code} kami terima dan sedang diperiksa Propam.",
        acting_user=officers["propam"].user,
    )
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 800})
    page = context.new_page()
    _login(page, live_server.url, "kapolres")
    page.goto(f"{live_server.url}/posko/persetujuan/")
    assert page.locator("[data-testid=approvals] article").count() == 1
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    shot(page, f"42-approvals-{width}")
    page.get_by_role("button", name="Setujui dan kirim").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=approvals] article").count() == 0
    assert aduan.messages.filter(kind="public_reply").count() == 1
    context.close()
