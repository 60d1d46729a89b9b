"""The transparency dashboard's desa map in a real browser: Leaflet from node_modules draws
one square per desa without any tile server (POSKO_MAP_TILE_URL empty), no CSP violation,
no request leaves the site; screenshots at phone and desktop widths."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from posko.aduan.tests.factories import make_aduan
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.org.models import Unit
from posko.regions.models import Region

SHOTS = os.environ.get("POSKO_SCREENSHOT_DIR", "")  # a directory for the screenshots, or none


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_desa_map_draws_without_tiles(
    browser: Any, live_server: Any, polres: Unit, settings: Any, width: int
) -> None:
    settings.POSKO_MAP_TILE_URL = ""
    yesterday = timezone.now() - timedelta(days=1)
    for i, code in enumerate(["19.06.02.2001"] * 12 + ["19.06.05.2003"] * 6 + ["19.06.01.2001"]):
        make_aduan(
            polres,
            category="pencurian" if i % 2 else "lalu_lintas",
            desa=code,
            received_at=yesterday,
        )
    do_rebuild_metrics()
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    failed: list[str] = []
    # A missing resource shows as a console error too; it is checked by URL below.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/transparansi/")
    page.wait_for_load_state("load")
    assert not errors, errors
    page.wait_for_selector("#desa-map path.leaflet-interactive")
    cells = page.locator("#desa-map path.leaflet-interactive").count()
    assert cells == Region.objects.filter(code__startswith="19.06.", level=4).count()
    assert page.locator("#desa-map .tp-map__kec").count() == 7  # the kecamatan of Beltim
    assert page.locator("#desa-map img.leaflet-tile").count() == 0
    assert not errors and not outside and not failed, (errors, outside, failed)
    page.locator("#desa").scroll_into_view_if_needed()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(".tp-map").screenshot(path=f"{SHOTS}/transparansi-map-{width}.png")
        page.screenshot(path=f"{SHOTS}/transparansi-{width}.png", full_page=True)
    context.close()
