"""Console pages of publishing: composer, review queue, post detail with per-account state,
week calendar, subscribers with masked numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from posko.channels.models import ChannelAccount
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.publishing.models import Post, PostStatus, PostTarget, Subscriber, TargetStatus
from posko.publishing.tests.conftest import jpeg
from posko.regions.models import Region


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_compose_review_and_approve_in_the_console(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    operator = login(officers["operator"])
    page = operator.get("/posko/publikasi/baru/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="publishing-limits"' in html and "posko/publishing/composer.js" in html
    assert "<script>" not in html.replace(
        '<script id="publishing-limits" type="application/json">', ""
    )
    publish_at = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data: dict[str, Any] = {
        "kind": "info_lalu_lintas",
        "title": "Penutupan Jl. Sudirman",
        "text": "Jl. Sudirman Manggar ditutup Sabtu 07.00–12.00. Gunakan Jl. Lintas Timur.",
        "f_road": "Jl. Sudirman, Manggar",
        "f_time_from": "Sabtu 07.00",
        "f_alternative_route": "Jl. Lintas Timur",
        "accounts": [a.pk for a in accounts.values()],
        f"variant_{accounts['x'].pk}": "Jl. Sudirman Manggar ditutup Sabtu pagi. Lewat Lintas.",
        "publish_at": publish_at,
        "intent": "submit",
        "photos": jpeg(),
    }
    response = operator.post("/posko/publikasi/baru/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.status == PostStatus.IN_REVIEW
    assert post.fields == {
        "road": "Jl. Sudirman, Manggar",
        "time_from": "Sabtu 07.00",
        "alternative_route": "Jl. Lintas Timur",
    }
    assert post.targets.get(platform="x").text.startswith("Jl. Sudirman Manggar ditutup Sabtu pagi")

    # The operator may not approve; the pimpinan sees it in the queue and approves.
    operator.post(f"/posko/publikasi/{post.pk}/setujui/")
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    kapolres = login(officers["kapolres"])
    queue = kapolres.get("/posko/publikasi/").content.decode()
    assert "Penutupan Jl. Sudirman" in queue
    detail = kapolres.get(f"/posko/publikasi/{post.pk}/").content.decode()
    assert 'data-testid="review"' in detail
    refused = kapolres.post(f"/posko/publikasi/{post.pk}/tolak/", {"reason": ""}, follow=True)
    assert "Alasan wajib diisi" in refused.content.decode()
    kapolres.post(f"/posko/publikasi/{post.pk}/setujui/")
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
    detail = kapolres.get(f"/posko/publikasi/{post.pk}/").content.decode()
    assert 'hx-trigger="every 10s"' in detail and "Terjadwal" in detail
    partial = kapolres.get(f"/posko/publikasi/{post.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="targets"')
    assert post.publish_at is not None
    week = kapolres.get(
        "/posko/publikasi/kalender/", {"minggu": post.publish_at.date().isoformat()}
    )
    assert "Penutupan Jl. Sudirman" in week.content.decode()


@pytest.mark.django_db
def test_an_unconfirmed_account_can_be_confirmed_with_its_address(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    post = Post.objects.create(
        polres=officers["operator"].unit.polres,  # type: ignore[misc]
        kind="imbauan",
        text="Imbauan",
        created_by=officers["operator"].user,
        status=PostStatus.UNCONFIRMED,
    )
    target = PostTarget.objects.create(
        post=post,
        account=accounts["x"],
        platform="x",
        status=TargetStatus.UNCONFIRMED,
        error="ReadTimeout",
    )
    operator = login(officers["operator"])
    detail = operator.get(f"/posko/publikasi/{post.pk}/").content.decode()
    assert "Sudah terbit" in detail and "kirim ulang" in detail
    operator.post(
        f"/posko/publikasi/{post.pk}/akun/{target.pk}/sudah-terbit/",
        {"url": "https://x.com/humas/status/1"},
    )
    target.refresh_from_db()
    post.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED and post.status == PostStatus.PUBLISHED


@pytest.mark.django_db
def test_subscriber_numbers_are_masked_for_roles_that_do_not_send_alerts(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    Subscriber.objects.create(
        polres=polres,
        channel="whatsapp",
        address="+6281234567890",
        desa=Region.objects.get(code="19.06.02.2001"),
        state="active",
    )
    assert (
        "+6281234567890"
        in login(officers["operator"]).get("/posko/publikasi/pelanggan/").content.decode()
    )
    html = login(officers["kapolres"]).get("/posko/publikasi/pelanggan/").content.decode()
    assert "+6281234567890" not in html and "+6281*****7890" in html
    satlantas = login(officers["satlantas"])
    for page in ("", "baru/", "kalender/", "pelanggan/"):
        assert satlantas.get(f"/posko/publikasi/{page}").status_code == 403


@pytest.mark.django_db
def test_public_pages_show_only_published_appeals_and_events(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    polres = officers["operator"].unit.polres
    user = officers["operator"].user

    def post(kind: str, text: str, status: str, target: str, **fields: str) -> None:
        made = Post.objects.create(
            polres=polres,  # type: ignore[misc]
            kind=kind,
            text=text,
            fields=fields,
            created_by=user,
            status=status,
            approved_at=timezone.now(),
        )
        PostTarget.objects.create(
            post=made,
            account=accounts["facebook"],
            platform="facebook",
            status=target,
            published_at=timezone.now() if target == TargetStatus.PUBLISHED else None,
        )

    post(
        "imbauan",
        "Waspada penipuan undian berhadiah.",
        PostStatus.PUBLISHED,
        TargetStatus.PUBLISHED,
    )
    post(
        "info_lalu_lintas",
        "Jl. Sudirman ditutup.",
        PostStatus.PARTLY_PUBLISHED,
        TargetStatus.PUBLISHED,
        alternative_route="Jl. Lintas Timur",
    )
    post("imbauan", "Draf rahasia.", PostStatus.IN_REVIEW, TargetStatus.DRAFT)
    post(
        "kegiatan",
        "Jumat Curhat di Balai Desa Gantung.",
        PostStatus.PUBLISHED,
        TargetStatus.PUBLISHED,
        place="Balai Desa Gantung",
        starts="Jumat 08.00",
    )
    html = Client().get("/imbauan/").content.decode()
    assert "Waspada penipuan" in html and "Jl. Lintas Timur" in html
    assert "Draf rahasia" not in html and "Jumat Curhat" not in html
    events = Client().get("/kegiatan/").content.decode()
    assert "Jumat Curhat" in events and "Balai Desa Gantung" in events
