"""SLA clocks: due times from the per-Polres policy, recomputation on priority correction,
escalation checks and the overdue view of the inbox. The clock is always frozen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from posko.aduan.actions import (
    do_add_message,
    do_change_status,
    do_check_sla_deadline,
    do_correct_labels,
    do_submit_aduan,
)
from posko.aduan.actions.sla import do_check_sla_clocks
from posko.aduan.inbox import InboxFilters, inbox_counts, inbox_queryset
from posko.aduan.models import Aduan, AuditEvent, LabelCorrection, Notification, SlaPolicy
from posko.aduan.sla import sla_targets
from posko.aduan.tests.factories import make_aduan
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TEXTS = {
    "darurat": "tolong pak ada tawuran bawa sajam di depan pasar Gantung sekarang",
    "tinggi": "Motor saya hilang dicuri di parkiran pasar Manggar tadi malam",
    "sedang": "Mohon info cara perpanjang SIM di Polres Belitung Timur",
    "rendah": "Terima kasih pak polisi sudah membantu warga Dendang",
}
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("priority", "first", "resolution"),
    [
        ("darurat", 15 * MIN, 1 * DAY),
        ("tinggi", 1 * HOUR, 3 * DAY),
        ("sedang", 1 * DAY, 7 * DAY),
        ("rendah", 3 * DAY, 14 * DAY),
    ],
)
def test_new_aduan_gets_the_polres_default_targets(
    polres: Unit, priority: str, first: timedelta, resolution: timedelta
) -> None:
    aduan = do_submit_aduan(polres, text=TEXTS[priority], channel="web", received_at=START)
    assert aduan.priority == priority
    assert aduan.first_response_due == START + first
    assert aduan.resolution_due == START + resolution
    assert aduan.current_due == START + first


def test_changed_policy_applies_to_new_aduan_only(polres: Unit, other_polres: Unit) -> None:
    before = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web", received_at=START)
    SlaPolicy.objects.filter(polres=polres, priority="darurat").update(
        first_response_minutes=5, resolution_minutes=120
    )
    later = START + HOUR
    after = do_submit_aduan(polres, text=TEXTS["darurat"], channel="sms", received_at=later)
    assert (after.first_response_due, after.resolution_due) == (later + 5 * MIN, later + 2 * HOUR)

    before.refresh_from_db()
    assert before.first_response_due == START + 15 * MIN  # not rewritten
    # The policy is per Polres: the neighbouring Polres keeps its own targets.
    assert sla_targets(other_polres, "darurat").first_response == 15 * MIN


def test_missing_policy_row_falls_back_to_the_taxonomy_default(polres: Unit) -> None:
    SlaPolicy.objects.filter(polres=polres, priority="tinggi").delete()
    aduan = do_submit_aduan(polres, text=TEXTS["tinggi"], channel="web", received_at=START)
    assert aduan.first_response_due == START + HOUR
    assert aduan.resolution_due == START + 3 * DAY


def test_priority_correction_recomputes_due_times_and_makes_old_checks_stale(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(polres, text=TEXTS["sedang"], channel="web")
    old_first, old_resolution = aduan.first_response_due, aduan.resolution_due
    assert old_first is not None and old_resolution is not None
    assert old_first == START + DAY

    with time_machine.travel(START + 10 * MIN, tick=False):
        corrections = do_correct_labels(
            aduan, priority="darurat", acting_user=officers["operator"].user
        )
    aduan.refresh_from_db()
    # Recomputed from the time the aduan was received, not from the correction.
    assert (aduan.priority, aduan.priority_rank) == ("darurat", 0)
    assert aduan.first_response_due == START + 15 * MIN
    assert aduan.resolution_due == START + DAY
    assert [(c.field, c.old_value, c.new_value) for c in corrections] == [
        ("priority", "sedang", "darurat")
    ]

    with time_machine.travel(START + 2 * DAY, tick=False):
        assert do_check_sla_deadline(aduan.pk, "first_response", old_first.isoformat()) == "stale"
        assert do_check_sla_deadline(aduan.pk, "resolution", old_resolution.isoformat()) == "stale"
        aduan.refresh_from_db()
        assert aduan.escalated_at is None
        assert not Notification.objects.exists()
        # The check for the new due time does escalate.
        assert (
            do_check_sla_deadline(aduan.pk, "first_response", aduan.first_response_due.isoformat())
            == "escalated"
        )


def test_check_outcomes(polres: Unit, officers: dict[str, Officer]) -> None:
    user = officers["operator"].user
    aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web", received_at=START)
    due = aduan.first_response_due.isoformat()  # type: ignore[union-attr]

    with pytest.raises(ValueError):
        do_check_sla_deadline(aduan.pk, "kapan-saja", due)
    assert do_check_sla_deadline(999_999, "first_response", due) == "missing"
    with time_machine.travel(START + 14 * MIN, tick=False):
        assert do_check_sla_deadline(aduan.pk, "first_response", due) == "early"
    with time_machine.travel(START + 10 * MIN, tick=False):
        do_add_message(aduan, "Petugas menuju lokasi.", public=True, acting_user=user)
    with time_machine.travel(START + 16 * MIN, tick=False):
        assert do_check_sla_deadline(aduan.pk, "first_response", due) == "met"
    with time_machine.travel(START + 2 * HOUR, tick=False):
        do_change_status(aduan, "ditangani", acting_user=user)
        do_change_status(aduan, "selesai", acting_user=user)
    resolution = aduan.resolution_due.isoformat()  # type: ignore[union-attr]
    with time_machine.travel(START + 2 * DAY, tick=False):
        assert do_check_sla_deadline(aduan.pk, "resolution", resolution) == "closed"
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="escalated").exists()


def test_escalation_notifies_unit_head_and_kapolres_once(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web", received_at=START)
    assert aduan.handling_unit is not None and aduan.handling_unit.satuan == "samapta"
    with time_machine.travel(START + 20 * MIN, tick=False):
        outcome = do_check_sla_deadline(
            aduan.pk,
            "first_response",
            aduan.first_response_due.isoformat(),  # type: ignore[union-attr]
        )
    assert outcome == "escalated"
    aduan.refresh_from_db()
    assert aduan.escalated_at == START + 20 * MIN
    notified = sorted(Notification.objects.values_list("recipient__user__username", flat=True))
    assert notified == ["kapolres", "operator", "samapta"]
    assert all(aduan.code in n.text for n in Notification.objects.all())
    event = AuditEvent.objects.get(aduan=aduan, action="escalated")
    assert event.data["kind"] == "first_response"


@pytest.mark.django_db(transaction=True)
def test_worker_runs_only_the_current_checks_after_a_correction(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    """Upgraded to darurat: the new 15-minute check escalates; the original 24-hour check
    for ``sedang`` later finds itself stale and does nothing."""
    operator = officers["operator"].user
    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(polres, text=TEXTS["sedang"], channel="web")
    with time_machine.travel(START + 2 * MIN, tick=False):
        do_correct_labels(aduan, priority="darurat", acting_user=operator)
        run_tasks()
    assert not Notification.objects.exists()

    with time_machine.travel(START + 16 * MIN, tick=False):
        run_tasks()
    assert AuditEvent.objects.filter(aduan=aduan, action="escalated").count() == 1
    notified_after_first = Notification.objects.count()
    assert notified_after_first > 0

    with time_machine.travel(START + 8 * DAY, tick=False):
        run_tasks()
    # Old first-response (+24 h) and resolution (+7 d) checks: stale. The new resolution
    # check (+24 h) escalates once more.
    events = AuditEvent.objects.filter(aduan=aduan, action="escalated")
    assert sorted(e.data["kind"] for e in events) == ["first_response", "resolution"]
    assert {e.data["due"] for e in events} == {
        (START + 15 * MIN).isoformat(),
        (START + DAY).isoformat(),
    }


@pytest.mark.django_db(transaction=True)
def test_downgraded_priority_does_not_escalate_at_the_old_due_time(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web")
    with time_machine.travel(START + MIN, tick=False):
        do_correct_labels(aduan, priority="rendah", acting_user=officers["operator"].user)
    with time_machine.travel(START + 30 * MIN, tick=False):
        run_tasks()
    aduan.refresh_from_db()
    assert aduan.escalated_at is None
    assert not Notification.objects.exists()
    assert aduan.first_response_due == START + 3 * DAY


@pytest.fixture
def sla_board(polres: Unit) -> dict[str, Aduan]:
    """Aduan whose clocks stand differently at NOW = START + 2 h."""
    responded = START + 5 * MIN
    return {
        # First response due 08:15, unanswered → overdue.
        "darurat_late": make_aduan(polres, priority="darurat", received_at=START),
        # First response due 09:30 → overdue by 30 minutes.
        "tinggi_late": make_aduan(polres, priority="tinggi", received_at=START + 30 * MIN),
        # First response due 10:30 → not yet.
        "tinggi_ok": make_aduan(polres, priority="tinggi", received_at=START + 90 * MIN),
        # First response was late, but it was given: the resolution clock (+24 h) runs now.
        "darurat_answered": make_aduan(
            polres, priority="darurat", received_at=START, first_responded_at=responded
        ),
        # Resolution due long past, but closed.
        "closed": make_aduan(
            polres,
            priority="darurat",
            received_at=START - 3 * DAY,
            status="selesai",
            first_responded_at=START - 3 * DAY,
            resolved_at=START - 2 * DAY,
        ),
        # Answered, resolution due (START - 2 d + 24 h) passed → overdue.
        "resolution_late": make_aduan(
            polres,
            priority="darurat",
            received_at=START - 2 * DAY,
            status="ditangani",
            first_responded_at=START - 2 * DAY + MIN,
        ),
    }


NOW = START + 2 * HOUR
OVERDUE = {"darurat_late", "tinggi_late", "resolution_late"}


def test_overdue_in_the_inbox_queryset(
    officers: dict[str, Officer], sla_board: dict[str, Aduan]
) -> None:
    user = officers["operator"].user
    by_code = {a.code: name for name, a in sla_board.items()}
    with time_machine.travel(NOW, tick=False):
        overdue = inbox_queryset(user, InboxFilters(overdue=True))
        names = {by_code[a.code] for a in overdue}
        counts = inbox_counts(user)
    assert names == OVERDUE
    assert counts["overdue"] == 3
    assert counts["open"] == 5
    assert counts["status"]["selesai"] == 1
    assert counts["status"]["baru"] == 4
    for name, aduan in sla_board.items():
        aduan.refresh_from_db()
        assert aduan.is_overdue(NOW) == (name in OVERDUE), name
    # The same instant passed explicitly, without travelling.
    explicit = inbox_queryset(user, InboxFilters(overdue=True, status="semua"), now=NOW)
    assert {by_code[a.code] for a in explicit} == OVERDUE


def test_overdue_in_the_console_inbox(
    officers: dict[str, Officer], sla_board: dict[str, Aduan]
) -> None:
    client = Client()
    client.force_login(officers["operator"].user)
    with time_machine.travel(NOW, tick=False):
        everything = client.get(reverse("console:inbox"))
        only_late = client.get(reverse("console:inbox"), {"overdue": "on"})
    assert everything.status_code == only_late.status_code == 200
    assert everything.context["counts"]["overdue"] == 3

    html = only_late.content.decode()
    for name, aduan in sla_board.items():
        assert (aduan.code in html) == (name in OVERDUE), name
    assert html.count("terlambat") >= 3
    # The unanswered-in-time row shows its remaining time instead.
    assert "sisa" in everything.content.decode()
    listed = [a.code for a in only_late.context["page"].object_list]
    # Inbox order holds inside the filter: darurat before tinggi, then by due time.
    assert listed == [
        sla_board["resolution_late"].code,
        sla_board["darurat_late"].code,
        sla_board["tinggi_late"].code,
    ]


def test_correction_to_the_same_priority_keeps_the_clock(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = do_submit_aduan(polres, text=TEXTS["sedang"], channel="web", received_at=START)
    with time_machine.travel(START + HOUR, tick=False):
        assert (
            do_correct_labels(aduan, priority="sedang", acting_user=officers["operator"].user) == []
        )
    aduan.refresh_from_db()
    assert aduan.first_response_due == START + DAY
    assert not LabelCorrection.objects.exists()
    assert not AuditEvent.objects.filter(action="labels_corrected").exists()


@pytest.mark.parametrize(
    ("about", "notified"),
    [
        # A complaint about the Kapolres: Propam's head is told, the Kapolres is not.
        ({"subject_officer": "kapolres"}, {"propam"}),
        # A complaint about a unit, (wrongly) handled by that unit: its head is not told.
        ({"subject_unit": "satlantas", "handling_unit": "satlantas"}, {"kapolres"}),
    ],
    ids=["about-kapolres", "about-handling-unit"],
)
def test_escalation_never_tells_the_people_a_complaint_is_about(
    polres: Unit, officers: dict[str, Officer], about: dict[str, str], notified: set[str]
) -> None:
    extra: dict[str, Any] = {}
    if "subject_officer" in about:
        extra["subject_officer"] = officers[about["subject_officer"]]
    if "subject_unit" in about:
        extra["subject_unit"] = officers[about["subject_unit"]].unit
        extra["handling_unit"] = officers[about["handling_unit"]].unit
    aduan = make_aduan(
        polres,
        text="Oknum anggota minta uang damai",
        category="pelanggaran_anggota",
        priority="tinggi",
        received_at=START,
        **extra,
    )
    with time_machine.travel(START + 2 * HOUR, tick=False):
        outcome = do_check_sla_deadline(
            aduan.pk,
            "first_response",
            aduan.first_response_due.isoformat(),  # type: ignore[union-attr]
        )
    assert outcome == "escalated"
    told = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert told == notified
    event = AuditEvent.objects.get(aduan=aduan, action="escalated")
    assert event.data["notified"] == sorted(officers[name].pk for name in notified)


@pytest.mark.django_db(transaction=True)
def test_one_sla_task_per_aduan_checks_both_clocks_in_turn(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    """One task for both clocks: at the first-response due time it escalates that clock and,
    in the same transaction, enqueues itself again for the resolution due time."""
    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web")
    with time_machine.travel(START + 16 * MIN, tick=False):
        run_tasks()

    def escalated() -> list[str]:
        rows = AuditEvent.objects.filter(aduan=aduan, action="escalated")
        return sorted(str(e.data["kind"]) for e in rows)

    assert escalated() == ["first_response"]
    with time_machine.travel(START + 12 * HOUR, tick=False):
        run_tasks()  # the resolution clock is not due yet: nothing more
    assert escalated() == ["first_response"]
    with time_machine.travel(START + DAY + MIN, tick=False):
        run_tasks()
    assert escalated() == ["first_response", "resolution"]
    with time_machine.travel(START + 3 * DAY, tick=False):
        run_tasks()  # no clock left, no task left
    assert escalated() == ["first_response", "resolution"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_first_response_check_still_hands_on_the_resolution_clock(
    polres: Unit, officers: dict[str, Officer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first-response check raises (a database error, a bug): its task fails, visibly,
    and the resolution clock is still checked at its own due time."""
    from posko.aduan.actions import sla

    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web")
    real_check = sla._check_deadline

    def failing_check(aduan_id: int, kind: str, due_iso: str) -> str:
        if kind == "first_response":
            raise RuntimeError("the first-response check broke")
        return real_check(aduan_id, kind, due_iso)

    monkeypatch.setattr(sla, "_check_deadline", failing_check)
    with time_machine.travel(START + 16 * MIN, tick=False):
        run_tasks()
    assert not AuditEvent.objects.filter(aduan=aduan, action="escalated").exists()
    with time_machine.travel(START + DAY + MIN, tick=False):
        run_tasks()
    rows = AuditEvent.objects.filter(aduan=aduan, action="escalated")
    assert [e.data["kind"] for e in rows] == ["resolution"]


def test_sla_clocks_check_the_earliest_and_hand_on_the_rest(polres: Unit) -> None:
    aduan = do_submit_aduan(polres, text=TEXTS["darurat"], channel="web", received_at=START)
    first = aduan.first_response_due.isoformat()  # type: ignore[union-attr]
    resolution = aduan.resolution_due.isoformat()  # type: ignore[union-attr]
    with time_machine.travel(START + 14 * MIN, tick=False):
        assert do_check_sla_clocks(aduan.pk, first, resolution) == "first_response: early"
        assert do_check_sla_clocks(aduan.pk, None, resolution) == "resolution: early"
    assert do_check_sla_clocks(aduan.pk, None, None) == "nothing to check"
    assert do_check_sla_clocks(999_999, first, resolution) == "first_response: missing"
