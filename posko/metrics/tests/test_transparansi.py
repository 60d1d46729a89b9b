"""The public dashboard reads the metrics layer: figures, suppression, restricted counts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan, polsek_named
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.dashboard import period
from posko.org.models import Unit

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
