"""The cyber patrol in a real browser: (a) a WhatsApp "min apa benar …" about a registered hoax
gets the clarification back through the fake Cloud API, and the operator sees it in the
aduan's thread; (b) a burst in replayed posts (``posko patrol import-posts``) raises an alert
the Kapolres sees in the console (notification → spike page with its chart). The new patrol
pages pass axe at 1366 and 390 px without sideways scrolling."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from posko.aduan.models import Aduan
from posko.channels.actions.accounts import do_save_account
from posko.channels.conftest import fake_api, whatsapp_account
from posko.channels.models import ChannelAccount, Platform
from posko.channels.testing import FakeApi, fixture_json
from posko.core.testing import run_tasks
from posko.e2e.test_accessibility import VIEWPORTS, _login, axe_violations, no_sideways_scroll
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer, Unit
from posko.patrol.actions.warnings import do_approve_warning, do_start_warning
from posko.patrol.models import PublicPost, SpikeAlert, Watchlist
from posko.patrol.tests.hoax_flow import (
    CLARIFICATION,
    PostWebhook,
    ask_on_whatsapp,
    clarifications_sent,
    registered_hoax,
)

pytestmark = pytest.mark.tasks
__all__ = ["fake_api", "whatsapp_account"]  # fixtures


def _post_live(base: str) -> PostWebhook:
    def post(body: bytes, headers: dict[str, str]) -> int:
        r = httpx.post(f"{base}/hooks/whatsapp/", content=body, headers=headers, timeout=60)
        return r.status_code  # timeout: a loaded CI machine

    return post


@pytest.mark.django_db(transaction=True)
def test_apa_benar_on_whatsapp_gets_the_clarification_seen_in_the_console(
    browser: Any,
    live_server: Any,
    whatsapp_account: ChannelAccount,
    fake_api: FakeApi,
    officers: dict[str, Officer],
) -> None:
    # The flow (real webhook over HTTP to the live server, worker, fake Cloud API) is the one
    # the patrol's WhatsApp test checks in detail; here: it answered, and what the operator sees.
    registered_hoax(officers, fake_api)
    ask_on_whatsapp(
        _post_live(live_server.url),
        "Min apa benar ada penculikan anak oleh orang tak dikenal bermobil ambulans di "
        "Manggar? Sudah disebar di grup keluarga",
        "wamid.e2e-hoax",
    )
    assert clarifications_sent(fake_api)

    aduan = Aduan.objects.get()
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _login(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/posko/aduan/{aduan.code}/")
    thread = page.locator(f"text={CLARIFICATION[:60]}").first
    thread.wait_for(state="visible", timeout=5000)
    assert page.locator("text=Klarifikasi hoaks dikirim").count() == 1  # the audit trail
    shot(page, "patrol-whatsapp-clarification")
    context.close()


def _replayed_day(tmp_path: Path) -> Path:
    """Three hours of replayed posts: a quiet baseline, then a burst 20 minutes ago."""
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for m in range(180):
        n = 14 if 160 <= m < 170 else (1 if m % 10 == 0 else 0)
        for k in range(n):
            text = (
                "oknum polisi pungli di simpang gantung, viralkan!"
                if k % 3 == 0
                else "ada penculikan anak di gantung, hati-hati"
            )
            rows.append(
                {
                    "source": "x",
                    "source_id": f"r-{m}-{k}",
                    "author": f"warga{k}",
                    "text": text,
                    "url": f"https://x.com/warga{k}/status/{m}{k}",
                    "place": "Gantung",
                    "reach": 150 * (k + 1),
                    "posted_at": (now - timedelta(minutes=180 - m)).isoformat(),
                }
            )
    f = tmp_path / "replay.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return f


def _check_page(page: Any, url: str, name: str) -> None:
    for label, (w, h) in VIEWPORTS.items():
        page.set_viewport_size({"width": w, "height": h})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], f"{url} at {w}px"
        assert no_sideways_scroll(page), f"{url} scrolls sideways at {w}px"
        shot(page, f"{name}-{label}")


@pytest.mark.django_db(transaction=True)
def test_replayed_burst_raises_an_alert_in_the_console(
    browser: Any,
    live_server: Any,
    polres: Unit,
    officers: dict[str, Officer],
    tmp_path: Path,
    fake_api: FakeApi,
) -> None:
    Watchlist.objects.create(polres=polres, name="Penculikan", keywords=["penculikan anak"])
    call_command("patrol", "import-posts", str(_replayed_day(tmp_path)), "--polres", "BLT")
    run_tasks()  # the spike check enqueued by the import
    alert = SpikeAlert.objects.get()
    assert alert.topic == "Penculikan" and alert.place == "Gantung"

    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _login(page, live_server.url, "kapolres")
    badge = page.locator(".con-nav a[href$='/posko/notifikasi/'] .pill--alert")
    assert badge.inner_text().strip() == "1"
    page.click(".con-nav a[href$='/posko/notifikasi/']")
    page.click("text=Lonjakan: Penculikan di Gantung")
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#lonjakan-{alert.pk}")
    assert card.is_visible()
    assert "Contoh unggahan" in card.inner_text()
    page.locator(f"#lonjakan-{alert.pk} figure[data-drawn='1'] canvas").wait_for(timeout=5000)
    _check_page(page, f"{live_server.url}/posko/patroli/lonjakan/", "patrol-spikes")

    post = PublicPost.objects.filter(text__contains="pungli").order_by("-reach").first()
    assert post is not None
    do_save_account(
        polres,
        Platform.X,
        external_id="999000111",
        slug="blt-x",
        api_base=fake_api.url,
        credentials={"bearer_token": "x-app-bearer", "user_access_token": "x-user-token"},
    )
    fake_api.route("POST", r"/2/tweets", json=fixture_json("x", "create_tweet__ok"))
    w = do_start_warning(post, acting_user=officers["operator"].user)
    do_approve_warning(w, acting_user=officers["kapolres"].user)
    run_tasks()  # the first warning goes out as a reply on X
    do_start_warning(
        PublicPost.objects.exclude(author=post.author).exclude(author="").first(),  # type: ignore[arg-type]
        acting_user=officers["operator"].user,
    )
    _check_page(page, f"{live_server.url}/posko/patroli/peringatan/", "patrol-warnings")
    assert page.locator("[data-testid=warning]").count() == 2
    sent = page.locator("[data-testid=warning-delivery][data-state=sent]")
    assert "1861234567890999999" in sent.inner_text() and "Terkirim" in sent.inner_text()
    _check_page(page, f"{live_server.url}/posko/patroli/daftar-pantau/", "patrol-watchlists")
    _check_page(page, f"{live_server.url}/posko/patroli/sumber/", "patrol-feeds")
    context.close()
