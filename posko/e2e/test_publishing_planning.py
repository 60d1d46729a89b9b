# ruff: noqa: F811 - fixtures imported from the publishing tests are used as parameters
"""Planning in the browser: an operator creates a recurring series and imports a CSV of
planned posts (a bad file first: errors per line, nothing saved); the calendar's day, week and
month views at 1366 and 390 px with axe-core reporting nothing (screenshots in
``POSKO_SHOTS``, default /tmp/shots-h8a)."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from posko.channels.models import ChannelAccount
from posko.e2e.test_accessibility import _login, axe_violations, no_sideways_scroll
from posko.org.models import Officer, Unit
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift
from posko.publishing.models import Post, PostSeries, PostStatus
from posko.publishing.tests.conftest import (  # noqa: F401 (fixtures)
    _fast_polling,
    accounts,
    facebook_account,
    fake_api,
    instagram_account,
    telegram_account,
    x_account,
)
from posko.regions.models import Region

SHOTS = Path(os.environ.get("POSKO_SHOTS") or Path(tempfile.gettempdir()) / "shots-h8a")
HEADER = "waktu_terbit,jenis,judul,teks,akun\n"


@pytest.mark.django_db(transaction=True)
def test_series_and_csv_import_then_the_calendar_views(
    page: Any,
    live_server: Any,
    officers: dict[str, Officer],
    polres: Unit,
    accounts: dict[str, ChannelAccount],
    tmp_path: Path,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    tomorrow = timezone.localtime() + timedelta(days=1)
    gantung = Region.objects.get(code="19.06.02.2001")
    pos = do_create_ronda_post(
        polres, gantung, "Pos Ronda RT 03", acting_user=officers["operator"].user
    )
    night = tomorrow.replace(hour=22, minute=0, second=0, microsecond=0)
    do_create_shift(
        pos,
        starts_at=night,
        ends_at=night + timedelta(hours=6),
        members=[("Pak Budi", "081234567890")],
        coordinator=None,
        acting_user=officers["operator"].user,
    )
    _login(page, base, "operator")
    page.goto(f"{base}/posko/publikasi/kalender/")
    page.click("text=Seri berulang")
    page.wait_for_load_state("load")
    page.select_option("#id_kind", "kampanye_edukasi")
    page.fill("#id_title", "Sabtu Edukasi Lalu Lintas")
    page.fill("#id_text", "Edukasi tertib lalu lintas bersama Satlantas setiap pekan.")
    page.check(f"input[name=accounts][value='{accounts['facebook'].pk}']")
    page.check(f"input[name=accounts][value='{accounts['telegram'].pk}']")
    page.fill("#id_first_at", tomorrow.replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_frequency", "weekly")
    page.fill("#id_count", "3")
    page.click("[data-testid=series-form] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=series-posts] li").count() == 3
    series = PostSeries.objects.get()
    assert series.posts.filter(status=PostStatus.IN_REVIEW).count() == 3
    assert axe_violations(page) == []

    when = (tomorrow + timedelta(days=1)).strftime("%Y-%m-%d 10:00")
    bad = tmp_path / "rencana-salah.csv"
    bad.write_text(
        HEADER + f"{when},kampanye_edukasi,Anti narkoba,Katakan tidak,facebook\n"
        f"{when},pengumuman,,Teks,facebook\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/posko/publikasi/kalender/")
    page.click("text=Impor / ekspor CSV")
    page.set_input_files("#id_file", str(bad))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_load_state()
    assert "Baris 3: jenis “pengumuman” tidak dikenal" in page.inner_text(
        "[data-testid=import-errors]"
    )
    assert not Post.objects.filter(series__isnull=True).exists()
    assert axe_violations(page) == []
    good = tmp_path / "rencana.csv"
    good.write_text(
        HEADER + f"{when},kampanye_edukasi,Anti narkoba,Katakan tidak pada narkoba,facebook;x\n"
        f"{when},imbauan,Imbauan kamtibmas,Kunci ganda kendaraan Anda,telegram\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(good))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_load_state()
    assert "/posko/publikasi/kalender/" in page.url
    assert Post.objects.filter(series__isnull=True, status=PostStatus.DRAFT).count() == 2

    day = tomorrow.date().isoformat()
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for view in ("hari", "minggu", "bulan"):
            page.goto(f"{base}/posko/publikasi/kalender/?tampil={view}&tanggal={day}")
            calendar = page.locator(f"[data-testid=calendar][data-view={view}]")
            assert calendar.is_visible()
            text = calendar.inner_text()
            assert "Sabtu Edukasi" in text and "Ronda Pos Ronda RT 03" in text
            assert no_sideways_scroll(page), (view, width)
            assert axe_violations(page) == [], (view, width)
            page.screenshot(path=str(SHOTS / f"kalender-{view}-{width}.png"), full_page=True)
    # Navigation: the next month and back.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/posko/publikasi/kalender/?tampil=bulan&tanggal={day}")
    page.click("[data-testid=cal-next]")
    page.wait_for_load_state()
    page.click("[data-testid=cal-previous]")
    page.wait_for_load_state()
    assert "Sabtu Edukasi" in page.inner_text("[data-testid=calendar]")
