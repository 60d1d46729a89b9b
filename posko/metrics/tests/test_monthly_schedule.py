"""Monthly reports by a scheduled task (the 1st, 01:00 local time, re-enqueued each month,
idempotent per unit and month) and on demand from the console (/posko/laporan-bulanan/)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from posko.aduan.models import AuditEvent
from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import PASSWORD, make_officer
from posko.core.testing import run_tasks
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.actions.reports import (
    do_generate_due_reports,
    last_month,
    next_run,
    report_scopes,
)
from posko.metrics.dashboard import command_figures
from posko.metrics.models import MonthlyReport
from posko.metrics.report import report_context
from posko.metrics.tasks import generate_monthly_reports
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


def _waiting() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=generate_monthly_reports.module_path, status=TaskResultStatus.READY
        )
    )


@pytest.mark.database_queue  # reads the waiting links from django-tasks-db's queue
@pytest.mark.django_db(transaction=True)  # the worker runs the tasks (PostgreSQL too)
def test_scheduled_task_generates_every_polres_and_polda_once_and_rearms(
    polres: Unit, other_polres: Unit
) -> None:
    _sample(polres, other_polres)
    generate_monthly_reports.enqueue()  # the chain's current link, due now
    generate_monthly_reports.enqueue()  # a second chain (e.g. armed twice on RQ)
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
    assert audit.count() == 3  # two chains, generated once
    # Each chain re-enqueued itself for the next 1st at 01:00 local time; not run yet.
    waiting = _waiting()
    assert waiting and all(w.run_after == next_run() for w in waiting)
    assert do_generate_due_reports(month) == 0  # idempotent


@pytest.mark.database_queue  # on RQ the command cannot see what is waiting (documented)
def test_posko_report_schedule_arms_once(polres: Unit) -> None:
    out = StringIO()
    call_command("report", "schedule", stdout=out)
    call_command("report", "schedule", stdout=out)
    waiting = _waiting()
    assert len(waiting) == 1 and waiting[0].run_after == next_run()
    assert "sudah terjadwal" in out.getvalue()


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
    context = report_context([polres], month)
    dashboard = command_figures([polres.pk], 3)
    shown = {m.value: m for m in dashboard["months"]}[month.label]  # type: ignore[attr-defined]
    assert context["this"].counts == shown.counts
    assert context["this"].received == 4  # restricted counted, as on the command view
    assert context["this"].first_median == shown.first_median
    by_category = {c.value: c.received for c in context["categories"]}
    assert by_category == {"pencurian": 3, "asusila_kdrt": 1}
