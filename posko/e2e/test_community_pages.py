"""Browser: a resident sends an anonymous tip in answer to an appeal on /info/ and reads the
unit's answer by the tip code; the console's programmes, event, stakeholders, sambang and tips
pages. axe-core finds nothing at 390 and 1366 px and nothing scrolls sideways on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.e2e.test_accessibility import VIEWPORTS, _login, axe_violations, no_sideways_scroll
from posko.e2e.test_citizen_flow import shot
from posko.org.models import Officer, Unit
from posko.publishing.actions.tips import do_reply_tip
from posko.publishing.community_demo import seed_community_demo
from posko.publishing.models import Post, PostKind, PostStatus, ProgrammeEvent, Tip

CONSOLE_PAGES = [
    "/posko/komunitas/",
    "/posko/komunitas/kegiatan/{event}/",
    "/posko/komunitas/mitra/",
    "/posko/komunitas/sambang/",
    "/posko/komunitas/tukar-jaga/",
]


@pytest.fixture
def community(polres: Unit, officers: dict[str, Officer]) -> dict[str, Any]:
    seed_community_demo(polres)
    aduan = make_aduan(polres)
    Aduan.objects.filter(pk=aduan.pk).update(handling_unit=officers["satreskrim"].unit)
    appeal = Post.objects.create(
        polres=polres,
        kind=PostKind.APPEAL,
        title="Dicari saksi tabrak lari Jl. Lintas Timur",
        text="Polres Belitung Timur mencari saksi tabrak lari Senin malam di Jl. Lintas Timur.",
        fields={"reference": aduan.code, "contact": "Satlantas 0719-000000"},
        status=PostStatus.PUBLISHED,
        created_by=officers["operator"].user,
    )
    from django.utils import timezone

    from posko.channels.models import ChannelAccount
    from posko.publishing.models import PostTarget

    account = ChannelAccount.objects.create(
        polres=polres, platform="facebook", external_id="1000001", name="Humas", slug="blt-fb-e2e"
    )
    PostTarget.objects.create(
        post=appeal,
        account=account,
        platform="facebook",
        status="published",
        published_at=timezone.now(),
    )
    event = ProgrammeEvent.objects.filter(aspirations__isnull=False).first()
    assert event is not None
    return {"appeal": appeal, "event": event.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_tip_flow_and_community_pages_pass_axe(
    browser: Any,
    live_server: Any,
    community: dict[str, Any],
    officers: dict[str, Officer],
    size: str,
) -> None:
    width, height = VIEWPORTS[size]
    found: dict[str, list[str]] = {}
    sideways: list[str] = []

    def check(page: Any, name: str) -> None:
        shot(page, f"community-{size}-{name}")
        if violations := axe_violations(page):
            found[name] = violations
        if size == "phone" and not no_sideways_scroll(page):
            sideways.append(name)

    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
    page = context.new_page()
    appeal = community["appeal"]
    page.goto(f"{live_server.url}/info/?imbauan={appeal.pk}")
    check(page, "info")
    page.fill(
        "#id_text", "Saya melihat mobil pikap hitam tanpa pelat melaju kencang ke arah Manggar."
    )
    page.click("[data-testid=tip-form] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=tip-code]").count() == 1, page.content()[:3000]
    code = page.inner_text("[data-testid=tip-code]").strip()
    check(page, "info-sent")
    tip = Tip.objects.get(code=code)
    assert tip.unit == officers["satreskrim"].unit and tip.appeal == appeal
    do_reply_tip(tip, "Terima kasih, sedang kami dalami.", acting_user=officers["satreskrim"].user)
    page.fill("#tip-code", code.lower())
    page.click("[data-testid=tip-followup-form] button[type=submit]")
    page.wait_for_selector("[data-testid=tip-followup]")
    assert "sedang kami dalami" in page.inner_text("[data-testid=tip-followup]")
    check(page, "info-followup")
    context.close()

    for who, urls in (
        ("operator", CONSOLE_PAGES),
        ("bhabin.gantung", ["/posko/komunitas/mitra/", "/posko/komunitas/sambang/"]),
        ("satreskrim", ["/posko/komunitas/info/", f"/posko/komunitas/info/{tip.pk}/"]),
    ):
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
        page = context.new_page()
        _login(page, live_server.url, who)
        for url in urls:
            path = url.format(**community)
            page.goto(f"{live_server.url}{path}")
            check(page, f"{who}-{path.strip('/').replace('/', '_')}")
        context.close()
    assert found == {}
    assert sideways == []
