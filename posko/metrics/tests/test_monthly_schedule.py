"""Monthly reports by a scheduled task (the 1st, 01:00 local time, re-enqueued each month,
idempotent per unit and month) and on demand from the console (/posko/laporan-bulanan/)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from posko.aduan.models import AuditEvent
from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD, make_officer
from posko.core.chains import ensure_chain
from posko.core.models import TaskChain
from posko.core.testing import run_tasks
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.actions.reports import (
    do_generate_due_reports,
    last_month,
    next_run,
    report_scopes,
)
from posko.metrics.dashboard import command_figures
from posko.metrics.models import MetricRow, MonthlyReport
from posko.metrics.queries import total
from posko.metrics.report import report_context
from posko.metrics.tasks import MONTHLY_KEY, generate_monthly_reports, monthly_chain
from posko.org.models import Officer, Role, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.tasks]
WIB = ZoneInfo("Asia/Jakarta")


def _sample(polres: Unit, other_polres: Unit) -> None:
    month = last_month()
    received = datetime.combine(month.start + timedelta(days=3), datetime.min.time(), WIB)
    for i in range(3):
        make_aduan(
            polres,
            category="pencurian",
            received_at=received + timedelta(hours=i),
            first_responded_at=received + timedelta(hours=i, minutes=20),
            status=Status.DITANGANI,
        )
    make_aduan(polres, category="asusila_kdrt", received_at=received)
    make_aduan(other_polres, category="narkoba", received_at=received)
    do_rebuild_metrics()


def test_next_run_is_the_next_first_at_one_local_time() -> None:
    assert next_run(datetime(2026, 11, 14, 9, tzinfo=WIB)) == datetime(2026, 12, 1, 1, tzinfo=WIB)
    assert next_run(datetime(2026, 12, 1, 0, 30, tzinfo=WIB)) == datetime(
        2026, 12, 1, 1, tzinfo=WIB
    )
    assert next_run(datetime(2026, 12, 1, 1, 0, tzinfo=WIB)) == datetime(2027, 1, 1, 1, tzinfo=WIB)
    # 18:30 UTC on 31 January is already 1 February 01:30 in Jakarta.
    assert next_run(datetime(2027, 1, 31, 18, 30, tzinfo=ZoneInfo("UTC"))) == datetime(
        2027, 3, 1, 1, tzinfo=WIB
    )


def _chain() -> TaskChain:
    return TaskChain.objects.get(key=MONTHLY_KEY)


@pytest.mark.django_db(transaction=True)  # the worker runs the tasks (PostgreSQL too)
def test_scheduled_task_generates_every_polres_and_polda_once_and_rearms(
    polres: Unit, other_polres: Unit
) -> None:
    _sample(polres, other_polres)
    ensure_chain(replace(monthly_chain(), first_run=timezone.now))  # the chain's link, due now
    stale = _chain().token
    ensure_chain(replace(monthly_chain(), first_run=timezone.now))  # alive: not a second one
    generate_monthly_reports.enqueue()  # generation without a chain (no re-arming)
    run_tasks()
    month = last_month()
    reports = MonthlyReport.objects.filter(month=month.start)
    assert sorted(r.unit.name for r in reports) == sorted(u.name for u in report_scopes())
    assert {r.unit.name for r in reports} == {
        "Polres Belitung Timur",
        "Polres Belitung",
        "Polda Kepulauan Bangka Belitung",
    }
    assert all(bytes(r.pdf).startswith(b"%PDF") and r.generated_by is None for r in reports)
    audit = AuditEvent.objects.filter(action="monthly_report_generated")
    assert audit.count() == 3  # two runs, generated once
    # The chain re-enqueued itself for the next 1st at 01:00 local time; not run yet.
    row = _chain()
    assert row.next_run_at == next_run() and row.token != stale and row.last_run_at is not None
    assert row.last_result in ("3 laporan", "0 laporan")
    assert do_generate_due_reports(month) == 0  # idempotent


def _client(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def test_console_lists_downloads_and_generates_now(
    polres: Unit, other_polres: Unit, officers: dict[str, Officer]
) -> None:
    _sample(polres, other_polres)
    month = last_month()
    kapolres, auditor = officers["kapolres"], officers["auditor"]
    assert _client(officers["operator"]).get("/posko/laporan-bulanan/").status_code == 403
    assert "Belum ada laporan" in _client(kapolres).get("/posko/laporan-bulanan/").content.decode()

    # Auditors list and download but may not generate.
    response = _client(auditor).post("/posko/laporan-bulanan/buat/", {"bulan": month.label})
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()

    response = _client(kapolres).post("/posko/laporan-bulanan/buat/", {"bulan": month.label})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.unit, report.month, report.generated_by) == (polres, month.start, kapolres.user)
    event = AuditEvent.objects.get(action="monthly_report_generated")
    assert (event.polres, event.actor) == (polres, kapolres.user)
    assert _client(kapolres).post("/posko/laporan-bulanan/buat/", {"bulan": "x"}).status_code == 302
    future = (month.start + timedelta(days=70)).strftime("%Y-%m")
    response = _client(kapolres).post("/posko/laporan-bulanan/buat/", {"bulan": future})
    assert response.status_code == 403

    html = _client(auditor).get("/posko/laporan-bulanan/").content.decode()
    assert f"/posko/laporan-bulanan/{report.pk}/unduh/" in html and "Buat sekarang" not in html
    download = _client(auditor).get(f"/posko/laporan-bulanan/{report.pk}/unduh/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")

    other = make_officer("kapolres.blg", Role.PIMPINAN, other_polres)
    assert _client(other).get(f"/posko/laporan-bulanan/{report.pk}/unduh/").status_code == 404
    assert "unduh" not in _client(other).get("/posko/laporan-bulanan/").content.decode()

    # The Kapolda makes the Polda's report and sees the Polres's too.
    assert polres.parent is not None
    kapolda = make_officer("kapolda", Role.PIMPINAN, polres.parent)
    _client(kapolda).post("/posko/laporan-bulanan/buat/", {"bulan": month.label})
    assert MonthlyReport.objects.filter(unit=polres.parent).exists()
    html = _client(kapolda).get("/posko/laporan-bulanan/").content.decode()
    assert "Polda Kepulauan Bangka Belitung" in html and "Polres Belitung Timur" in html


def test_report_figures_equal_the_dashboard(polres: Unit, other_polres: Unit) -> None:
    _sample(polres, other_polres)
    month = last_month()
    context = report_context(polres, month)
    dashboard = command_figures([polres.pk], 3)
    shown = {m.value: m for m in dashboard["months"]}[month.label]  # type: ignore[attr-defined]
    assert context["this"].counts == shown.counts
    assert context["this"].received == 4  # restricted counted, as on the command view
    assert context["this"].first_median == shown.first_median
    by_category = {c.value: c.received for c in context["categories"]}
    assert by_category == {"pencurian": 3, "asusila_kdrt": 1}


def test_polda_report_reads_the_polda_rows(polres: Unit, other_polres: Unit) -> None:
    """A Polda's report takes its totals and categories from the Polda's own rows (the sums
    of its Polres's, one row per value instead of one per Polres): they equal what its
    Polres's rows add up to, and they are still there when those rows are gone."""
    _sample(polres, other_polres)
    polda = polres.parent
    assert polda is not None and other_polres.parent_id == polda.pk
    month = last_month()
    context = report_context(polda, month)
    ids = [polres.pk, other_polres.pk]
    summed = total(ids, month.start, month.end, restricted=None)
    assert context["this"].counts == summed.counts and summed.received == 5
    assert context["this"].first_median == summed.first_median is not None
    by_category = {c.value: c.received for c in context["categories"]}
    assert by_category == {"pencurian": 3, "asusila_kdrt": 1, "narkoba": 1}
    assert {u.pk for u, _f in context["comparison"]} == set(ids)
    # Without its Polres's rows of those dimensions the report is the same: it reads the
    # Polda's (only the comparison per Polres, from their rows, is gone).
    MetricRow.objects.filter(polres_id__in=ids, dimension__in=["all", "category"]).delete()
    again = report_context(polda, month)
    assert again["this"].counts == summed.counts
    assert {c.value: c.received for c in again["categories"]} == by_category
    assert again["comparison"] == []
