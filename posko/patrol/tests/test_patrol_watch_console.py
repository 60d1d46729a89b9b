"""Console pages of watching over real HTTP: watchlist and feed admin (add, edit, switch off)
scoped to Polres and role; the warning pages; the spike page's chart data and samples."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.patrol.models import Feed, PatrolWarning, PublicPost, SpikeAlert, Watchlist

pytestmark = pytest.mark.tasks  # saving a feed enqueues its polling chain


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.mark.django_db
def test_watchlist_add_edit_disable_and_scope(
    officers: dict[str, Officer], polres: Unit, other_polres: Unit
) -> None:
    op = _client("operator")
    bad = op.post("/posko/patroli/daftar-pantau/", {"name": "Kosong", "priority": "2"})
    assert bad.status_code == 400 and not Watchlist.objects.exists()
    assert "Isi paling sedikit satu kata kunci" in bad.content.decode()
    r = op.post(
        "/posko/patroli/daftar-pantau/",
        {
            "name": "Penculikan",
            "keywords": "penculikan anak\nculik",
            "hashtags": "#beltim",
            "priority": "1",
            "enabled": "on",
        },
    )
    assert r.status_code == 302
    w = Watchlist.objects.get()
    assert w.keywords == ["penculikan anak", "culik"] and w.hashtags == ["beltim"]
    assert w.polres == polres and w.enabled
    page = op.get(f"/posko/patroli/daftar-pantau/?edit={w.pk}").content.decode()
    assert "penculikan anak" in page
    op.post(
        "/posko/patroli/daftar-pantau/",
        {"pk": w.pk, "name": "Penculikan", "keywords": "culik", "priority": "2"},
    )
    w.refresh_from_db()
    assert not w.enabled and w.keywords == ["culik"]  # unchecked: switched off
    # the cyber unit (Satreskrim) may manage; another satuan may not; another Polres sees nothing
    assert _client("satreskrim").get("/posko/patroli/daftar-pantau/").status_code == 200
    assert _client("samapta").get("/posko/patroli/daftar-pantau/").status_code == 403
    foreign = _client("operator.blg")
    assert foreign.get(f"/posko/patroli/daftar-pantau/?edit={w.pk}").status_code == 404
    assert "Penculikan" not in foreign.get("/posko/patroli/daftar-pantau/").content.decode()


@pytest.mark.django_db
def test_feed_add_and_disable(officers: dict[str, Officer], polres: Unit) -> None:
    op = _client("operator")
    bad = op.post("/posko/patroli/sumber/", {"kind": "x_search", "name": "X tanpa akun"})
    assert bad.status_code == 400 and "membutuhkan daftar pantau dan akun X" in bad.content.decode()
    r = op.post(
        "/posko/patroli/sumber/",
        {"kind": "rss", "name": "Berita Beltim", "url": "https://berita.test/rss", "enabled": "on"},
    )
    assert r.status_code == 302
    feed = Feed.objects.get()
    assert feed.enabled and feed.polres == polres
    op.post(
        "/posko/patroli/sumber/",
        {"pk": feed.pk, "kind": "rss", "name": "Berita Beltim", "url": "https://berita.test/rss"},
    )
    feed.refresh_from_db()
    assert not feed.enabled
    assert _client("auditor").get("/posko/patroli/sumber/").status_code == 403


@pytest.mark.django_db
def test_warning_pages_start_approve_roles(officers: dict[str, Officer], polres: Unit) -> None:
    post = PublicPost.objects.create(
        polres=polres,
        source="x",
        source_id="5",
        author="akun_a",
        text="provokasi",
        url="https://x.com/a/status/5",
    )
    op = _client("operator")
    assert op.post(f"/posko/patroli/antrean/{post.pk}/peringatkan/").status_code == 302
    w = PatrolWarning.objects.get()
    assert op.post(f"/posko/patroli/peringatan/{w.pk}/setujui/").status_code == 403
    page = _client("kapolres").get("/posko/patroli/peringatan/").content.decode()
    assert "@akun_a" in page and "Setujui dan kirim peringatan pertama" in page
    assert _client("kapolres").post(f"/posko/patroli/peringatan/{w.pk}/setujui/").status_code == 302
    w.refresh_from_db()
    assert w.status == "first"
    assert _client("satreskrim").get("/posko/patroli/peringatan/").status_code == 200
    assert _client("samapta").get("/posko/patroli/peringatan/").status_code == 403
    assert (
        _client("operator.blg").post(f"/posko/patroli/peringatan/{w.pk}/bukti/").status_code == 404
    )


@pytest.mark.django_db
def test_spike_page_carries_chart_data_and_samples(
    officers: dict[str, Officer], polres: Unit
) -> None:
    p = PublicPost.objects.create(
        polres=polres, source="x", source_id="1", author="a1", text="culik di manggar", reach=900
    )
    SpikeAlert.objects.create(
        polres=polres,
        topic="Penculikan",
        place="Manggar",
        started_at="2026-01-01T10:00Z",
        count=40,
        growth=[
            {"t": "2026-01-01T09:59:00+00:00", "n": 1},
            {"t": "2026-01-01T10:00:00+00:00", "n": 30},
        ],
        sample_post_ids=[p.pk],
        reach=900,
        negative=True,
    )
    page = _client("propam").get("/posko/patroli/lonjakan/").content.decode()
    assert "culik di manggar" in page and "Viral negatif tentang anggota" in page
    assert "vendor/chart.js/chart.umd.min.js" in page and "<script>" not in page
    start = page.index('data-growth="') + len('data-growth="')
    raw = page[start : page.index('"', start)].replace("&quot;", '"')
    assert json.loads(raw)[1]["n"] == 30
