"""The public dashboard reads the metrics layer: figures, suppression, restricted counts only."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan, polsek_named
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.dashboard import period
from posko.org.models import Unit
from posko.regions.models import Region

pytestmark = pytest.mark.django_db


def seed(polres: Unit) -> None:
    now = timezone.now() - timedelta(days=1)
    manggar = polsek_named(polres, "Manggar")
    gantung = polsek_named(polres, "Gantung")
    for i in range(6):  # Manggar answers in 20 minutes
        make_aduan(
            polres,
            category="pencurian",
            polsek=manggar,
            received_at=now,
            first_responded_at=now + timedelta(minutes=20),
            status=Status.SELESAI,
            resolved_at=now + timedelta(hours=5),
            reporter_name=f"Pelapor Rahasia {i}",
            reporter_phone="081299998888",
        )
    for _ in range(5):  # Gantung answers in 3 hours
        make_aduan(
            polres,
            category="lalu_lintas",
            polsek=gantung,
            received_at=now,
            first_responded_at=now + timedelta(hours=3),
        )
    for _ in range(3):
        make_aduan(polres, category="asusila_kdrt", polsek=gantung, received_at=now)
    make_aduan(polres, category="narkoba", channel="whatsapp", received_at=now)
    do_rebuild_metrics()


def test_public_dashboard_shows_figures_without_personal_data(client: Client, polres: Unit) -> None:
    seed(polres)
    response = client.get("/transparansi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rahasia" not in html and "0812" not in html and "Laporan uji" not in html
    # 12 non-restricted aduan received; the 3 restricted ones only as a (suppressed) count.
    assert ">12<" in html
    assert "ditambah &lt;5 aduan kategori terbatas" in html
    assert "kategori terbatas: hanya jumlah" in html
    # Polsek tercepat: Manggar (20 min) beats Gantung (3 h).
    fastest = html.split("Polsek tercepat", 1)[1][:300]
    assert "Polsek Manggar" in fastest
    # Narkoba: one aduan, suppressed.
    narkoba = html.split("Narkoba</th>", 1)[1][:80]
    assert "&lt;5" in narkoba
    # Headline times come from ≥ 5 aduan (6 resolved, 11 answered): shown.
    assert "90 persen selesai dalam" in html and "90 persen dijawab dalam" in html
    # Charts are drawn from the tables by a static script; the tables stand alone.
    assert 'data-chart="bar"' in html and "chart.umd.min.js" in html and "<script>" not in html


def test_headline_figures_from_fewer_than_five_aduan_are_suppressed(
    client: Client, polres: Unit
) -> None:
    now = timezone.now() - timedelta(days=1)
    for _ in range(3):
        make_aduan(
            polres,
            received_at=now,
            first_responded_at=now + timedelta(minutes=5),
            status=Status.SELESAI,
            resolved_at=now + timedelta(hours=1),
        )
    do_rebuild_metrics()
    html = client.get("/transparansi/").content.decode()
    assert "&lt;5" in html and "90 persen" not in html and "100,0 %" not in html


def test_dashboard_english_and_periods(client: Client, polres: Unit) -> None:
    seed(polres)
    html = client.get("/transparansi/?bulan=3", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="3" selected' in html
    assert client.get("/transparansi/?polres=XYZ").status_code == 404
    assert client.get("/transparansi/?bulan=abc").status_code == 200


def test_period_covers_whole_calendar_months() -> None:
    from datetime import date

    p = period(12, today=date(2026, 12, 2))
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 12, 2))
    p = period(3, today=date(2026, 2, 10))
    assert p.start == date(2025, 12, 1)
    assert period(7, today=date(2026, 2, 10)).months == 12


def test_desa_map_counts_suppressed_restricted_excluded(
    client: Client, polres: Unit, settings: Any
) -> None:
    settings.POSKO_MAP_TILE_URL = ""  # no tile server: the schematic still draws
    yesterday = timezone.now() - timedelta(days=1)
    for _ in range(6):
        make_aduan(polres, category="pencurian", desa="19.06.02.2001", received_at=yesterday)
    make_aduan(polres, category="narkoba", desa="19.06.02.2002", received_at=yesterday)
    for _ in range(7):  # restricted: never on the map
        make_aduan(polres, category="asusila_kdrt", desa="19.06.02.2003", received_at=yesterday)
    do_rebuild_metrics()
    response = client.get("/transparansi/")
    html = response.content.decode()
    start = html.index('<script id="desa-map-data" type="application/json">')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    cells = {c["name"]: c for b in data["blocks"] for c in b["cells"]}
    desa = {r.code: r.name for r in Region.objects.filter(code__startswith="19.06.02.2")}
    assert len(cells) == Region.objects.filter(code__startswith="19.06.", level=4).count()
    assert (cells[desa["19.06.02.2001"]]["n"], cells[desa["19.06.02.2001"]]["level"]) == ("6", 2)
    assert (cells[desa["19.06.02.2002"]]["n"], cells[desa["19.06.02.2002"]]["level"]) == ("<5", 1)
    assert (cells[desa["19.06.02.2003"]]["n"], cells[desa["19.06.02.2003"]]["level"]) == ("0", 0)
    assert {b["name"] for b in data["blocks"]} >= {"Gantung", "Manggar"}
    # One square per desa, never two in one place of a block.
    for block in data["blocks"]:
        places = {(c["x"], c["y"]) for c in block["cells"]}
        assert len(places) == len(block["cells"]) and max(x for x, _ in places) < block["w"]
    assert 'id="desa-map"' in html and 'data-tiles=""' in html
    # No inline script: every script is a file or data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
