"""axe-core (from npm, ``node_modules/``) on every public and console page at 1366 and 390 px:
no violations. Also the phone checks: nothing scrolls sideways, the tracking code is one line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from posko.aduan.actions import do_add_message
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer, Unit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
PUBLIC = ["/", "/lapor/", "/lacak/", "/kontak/", "/lacak/{code}/", "/tidak-ada/"]
CONSOLE = {
    "operator": [
        "/posko/",
        "/posko/?status=semua",
        "/posko/tugas-saya/",
        "/posko/aduan/{code}/",
        "/posko/aduan/baru/",
        "/posko/notifikasi/",
        "/posko/administrasi/",
        "/posko/landmark/",
        "/posko/triase/",
        "/posko/moderasi/",
        "/posko/insiden/{incident}/",
        "/posko/pengaturan/sla/",  # 403 for an operator: the styled page
    ],
    "admin": [
        "/posko/pengaturan/sla/",
        "/posko/kanal/akun/",
        "/posko/kanal/templat/",
        "/posko/balasan-siap/",
    ],
    "kapolres": ["/posko/"],
    "bhabin.gantung": ["/posko/", "/posko/aduan/{code}/"],
}


def axe_violations(page: Any) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup (npm ci installs axe-core)")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(result)


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/posko/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def board(polres: Unit, officers: dict[str, Officer]) -> dict[str, Any]:
    long_ago = timezone.now() - timedelta(days=5)
    overdue = make_aduan(polres, priority="tinggi", received_at=long_ago, desa="19.06.02.2001")
    make_aduan(polres, priority="darurat", received_at=long_ago, tone="provokatif")
    make_aduan(polres, priority="sedang", status="diverifikasi")
    make_aduan(polres, priority="rendah", reporter_name="Warga", reporter_phone="+6281234567890")
    do_add_message(
        overdue,
        "Terima kasih, sedang kami cek.",
        public=True,
        acting_user=officers["operator"].user,
    )
    from posko.aduan.actions.incidents import do_join_incident

    peer = make_aduan(polres, priority="tinggi", desa="19.06.02.2001")
    do_join_incident(peer, overdue, acting_user=officers["operator"].user)
    overdue.refresh_from_db()
    return {"code": overdue.code, "incident": overdue.incident_id}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_axe_reports_nothing_on_any_page(
    browser: Any, live_server: Any, board: dict[str, Any], size: str
) -> None:
    width, height = VIEWPORTS[size]
    found: dict[str, list[str]] = {}
    sideways: list[str] = []
    for who, urls in [("", PUBLIC), *CONSOLE.items()]:
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
        page = context.new_page()
        if who:
            _login(page, live_server.url, who)
        for url in urls:
            path = url.format(**board)
            page.goto(f"{live_server.url}{path}")
            name = f"a11y-{size}-{who or 'public'}-{path.strip('/').replace('/', '_') or 'home'}"
            shot(page, name)
            if violations := axe_violations(page):
                found[f"{who} {path}"] = violations
            if not no_sideways_scroll(page):
                sideways.append(f"{who} {path}")
        context.close()
    assert found == {}
    if size == "phone":
        assert sideways == []
