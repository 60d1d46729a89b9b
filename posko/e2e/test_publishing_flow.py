# ruff: noqa: F811 - fixtures imported from the publishing tests are used as parameters
"""An operator composes a traffic advisory for Facebook, Instagram, X and Telegram in the
browser, a pimpinan approves it, it publishes at its time to the local fakes; X times out and
shows "Belum terkonfirmasi", and nothing is sent again."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi, Recorded, Reply
from posko.conftest import PASSWORD
from posko.org.models import Officer
from posko.publishing.models import Post, PostStatus, TargetStatus
from posko.publishing.tests.conftest import (  # noqa: F401 (fixtures)
    _fast_polling,
    accounts,
    facebook_account,
    fake_api,
    instagram_account,
    telegram_account,
    x_account,
)
from posko.publishing.tests.helpers import run_tasks_at
from posko.publishing.tests.test_publishing import happy_routes


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/posko/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_compose_approve_publish_and_an_unconfirmed_account(
    page: Any,
    live_server: Any,
    officers: dict[str, Officer],
    accounts: dict[str, ChannelAccount],
    fake_api: FakeApi,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.POSKO_CHANNEL_HTTP_TIMEOUT = 0.5
    happy_routes(fake_api)

    def slow(request: Recorded) -> Reply:
        time.sleep(1.0)
        return Reply(201, json={"data": {"id": "1890000000000000002"}})

    fake_api.route("POST", r"/2/tweets", slow)
    photo = tmp_path / "peta.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), (200, 30, 30)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    publish_at = timezone.localtime() + timedelta(hours=1)

    login(page, live_server.url, "operator")
    page.click("text=Publikasi")
    page.click("text=Tulis publikasi")
    page.wait_for_load_state("load")  # the composer's script is attached
    page.select_option("#id_kind", "info_lalu_lintas")
    # The script shows this kind's fields and hides another kind's (waits up to 5 s, fails
    # otherwise: no fixed sleep, no race with the script).
    page.locator("#id_f_road").wait_for(state="visible", timeout=5000)
    page.locator("#id_f_claim").wait_for(state="hidden", timeout=5000)
    page.fill("#id_title", "Penutupan Jl. Sudirman")
    page.fill("#id_f_road", "Jl. Sudirman, Manggar")
    page.fill("#id_f_time_from", "Sabtu 07.00")
    page.fill("#id_f_alternative_route", "Jl. Lintas Timur")
    for account in accounts.values():
        page.check(f"input[name=accounts][value='{account.pk}']")
    page.fill("#id_text", "Jl. Sudirman Manggar ditutup Sabtu 07.00–12.00. Lewat Jl. Lintas Timur.")
    counter = page.locator("[data-counter-for=post]").inner_text()
    assert "X 71/280" in counter and "Instagram 71/2200" in counter
    page.set_input_files("#id_photos", str(photo))
    assert "Telegram 71/1024" in page.locator("[data-counter-for=post]").inner_text()
    page.fill("#id_publish_at", publish_at.strftime("%Y-%m-%dT%H:%M"))
    page.click("button[value=submit]")
    assert page.locator("[data-testid=post-status]").inner_text() == "Menunggu persetujuan"
    page.click("text=Keluar")

    login(page, live_server.url, "kapolres")
    page.goto(f"{live_server.url}/posko/publikasi/")
    page.click("text=Penutupan Jl. Sudirman")
    page.click("text=Setujui dan jadwalkan")
    assert page.locator("[data-testid=post-status]").inner_text() == "Terjadwal"

    post = Post.objects.get()
    assert post.publish_at is not None
    run_tasks_at(post.publish_at + timedelta(seconds=5))
    run_tasks_at(post.publish_at + timedelta(hours=2))  # past the watchdog: still no re-send
    assert len(fake_api.calls("POST", r"/2/tweets")) == 1
    assert len(fake_api.calls("POST", r"/v23.0/\d+/media_publish")) == 1
    page.reload()
    assert page.locator("[data-testid=post-status]").inner_text() == "Belum terkonfirmasi"
    assert page.locator("[data-testid=target-x] [data-testid=target-status]").inner_text() == (
        "Belum terkonfirmasi"
    )
    for platform in ("facebook", "instagram", "telegram"):
        status = page.locator(f"[data-testid=target-{platform}] [data-testid=target-status]")
        assert status.inner_text() == "Terbit"
    assert post.targets.get(platform="x").status == TargetStatus.UNCONFIRMED
    post.refresh_from_db()
    assert post.status == PostStatus.UNCONFIRMED
