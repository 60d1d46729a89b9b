"""The monthly PDF report: renders, and its figures are the dashboard's (same metrics rows)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.queries import monthly
from posko.metrics.report import parse_month, previous, report_context
from posko.org.models import Unit

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def test_monthly_report(polres: Unit, other_polres: Unit, tmp_path: Path) -> None:
    november = datetime(2026, 11, 10, 9, 0, tzinfo=WIB)
    for i in range(4):
        make_aduan(
            polres,
            category="pencurian" if i % 2 else "narkoba",
            received_at=november,
            first_responded_at=november + timedelta(minutes=30),
            status=Status.SELESAI,
            resolved_at=november + timedelta(hours=6),
        )
    make_aduan(polres, category="pencurian", received_at=november - timedelta(days=20))
    make_aduan(other_polres, category="narkoba", received_at=november)
    do_rebuild_metrics()

    month = parse_month("2026-11")
    assert previous(month) == parse_month("2026-10")
    context = report_context(polres, month)
    dashboard = {m.value: m for m in monthly([polres.pk], month.start, month.end, restricted=None)}
    assert context["this"].counts == dashboard["2026-11"].counts
    assert context["this"].received == 4 and context["before"].received == 1
    assert context["this"].first_median == dashboard["2026-11"].first_median

    out = StringIO()
    target = tmp_path / "laporan.pdf"
    call_command(
        "report",
        "monthly",
        "--polres",
        "BLT",
        "--month",
        "2026-11",
        "--output",
        str(target),
        stdout=out,
    )
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    polda = polres.parent
    assert polda is not None
    call_command(
        "report",
        "monthly",
        "--polda",
        polda.name,
        "--month",
        "2026-11",
        "--output",
        str(tmp_path / "polda.pdf"),
        stdout=out,
    )
    assert (tmp_path / "polda.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("report", "monthly", "--month", "November")
