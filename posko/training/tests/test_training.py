"""Training sandbox: exercises from closed aduan, scoring, records for the Kapolres, and
nothing reaching a citizen or the real aduan."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from posko.aduan.models import Aduan, AduanMessage, AuditEvent
from posko.aduan.tests.factories import make_aduan
from posko.channels.models import OutboundDelivery
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit
from posko.org.permissions import NotPermitted
from posko.training.actions import TrainingError, do_start_exercise, do_submit_exercise
from posko.training.models import TrainingAttempt

TEXT = (
    "Selamat malam, saya Rahmat Hidayat dari Jl. Sudirman No. 12 Manggar. Motor Honda saya "
    "plat BN 4521 KT hilang di parkiran pasar. Hubungi 0812-7788-9900."
)
GOOD_REPLY = (
    "Selamat malam Bapak/Ibu, terima kasih atas laporannya. Laporan {code} sudah kami "
    "teruskan ke Satreskrim dan petugas akan segera memeriksa lokasi."
)


@pytest.fixture
def closed(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        text=TEXT,
        category="pencurian",
        priority="sedang",
        handling_unit=satuan_of(polres, "satreskrim"),
        status="selesai",
        reporter_name="Rahmat Hidayat",
        reporter_phone="+6281277889900",
        channel="whatsapp",
    )


def _snapshot(aduan: Aduan) -> tuple[object, ...]:
    aduan.refresh_from_db()
    return (aduan.status, aduan.category, aduan.priority, aduan.handling_unit_id, aduan.updated_at)


def test_exercise_is_anonymised_and_scored(
    officers: dict[str, Officer],
    closed: Aduan,
    polres: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    operator = officers["operator"].user
    before = _snapshot(closed)
    messages_before = AduanMessage.objects.count()
    with django_capture_on_commit_callbacks() as started_effects:
        attempt = do_start_exercise(acting_user=operator)
    assert attempt.source_id == closed.pk
    for personal in ["Rahmat", "Hidayat", "Sudirman", "BN 4521 KT", "0812", "7788"]:
        assert personal not in attempt.exercise_text
    assert closed.code not in attempt.exercise_text
    assert "[NAMA]" in attempt.exercise_text and "[PLAT]" in attempt.exercise_text

    with django_capture_on_commit_callbacks() as submitted_effects:
        done = do_submit_exercise(
            attempt,
            category="pencurian",
            priority="sedang",
            unit=satuan_of(polres, "satreskrim"),
            reply=GOOD_REPLY.format(code=attempt.exercise_code),
            acting_user=operator,
        )
    # No side effect at all: no task, no notice, no change notice for the live inbox.
    assert started_effects == [] and submitted_effects == []
    assert done.score == 100, done.result
    assert done.seconds_taken is not None
    # The real aduan and its thread are untouched; nothing goes out; no audit on it.
    assert _snapshot(closed) == before
    assert AduanMessage.objects.count() == messages_before
    assert not OutboundDelivery.objects.exists()
    assert not AuditEvent.objects.filter(aduan=closed).exists()
    rows = AuditEvent.objects.filter(target=f"training:{attempt.pk}")
    assert sorted(rows.values_list("action", flat=True)) == [
        "training_started",
        "training_submitted",
    ]
    assert all(r.aduan_id is None for r in rows)


def test_wrong_triage_and_weak_reply_score_low(
    officers: dict[str, Officer], closed: Aduan, polres: Unit
) -> None:
    user = officers["satreskrim"].user
    attempt = do_start_exercise(acting_user=user)
    done = do_submit_exercise(
        attempt,
        category="narkoba",
        priority="tinggi",  # one step off: half the points
        unit=satuan_of(polres, "satlantas"),
        reply="Bukan urusan kami.",
        acting_user=user,
    )
    assert done.result["category"] == 0 and done.result["unit"] == 0
    assert done.result["priority"] == 10
    assert done.result["reply"] == 0
    messages = [f["message"] for f in done.result["findings"]]
    assert any("defensif" in m for m in messages)
    assert any(attempt.exercise_code in m for m in messages)  # the code is missing
    assert done.score == 10


def test_only_the_trainee_submits_once(officers: dict[str, Officer], closed: Aduan) -> None:
    attempt = do_start_exercise(acting_user=officers["operator"].user)
    with pytest.raises(NotPermitted):
        do_submit_exercise(
            attempt,
            category="pencurian",
            priority="sedang",
            unit=None,
            reply="x",
            acting_user=officers["admin"].user,
        )
    with pytest.raises(NotPermitted):
        do_start_exercise(acting_user=officers["auditor"].user)
    operator = officers["operator"].user
    do_submit_exercise(
        attempt,
        category="pencurian",
        priority="sedang",
        unit=None,
        reply="Halo",
        acting_user=operator,
    )
    with pytest.raises(TrainingError):
        do_submit_exercise(
            attempt,
            category="pencurian",
            priority="sedang",
            unit=None,
            reply="Halo",
            acting_user=operator,
        )
    # Every closed aduan done: no more exercises for this officer.
    with pytest.raises(TrainingError):
        do_start_exercise(acting_user=officers["operator"].user)


def test_open_and_restricted_aduan_are_never_exercises(
    officers: dict[str, Officer], polres: Unit
) -> None:
    make_aduan(polres, status="baru")
    make_aduan(polres, status="selesai", category="pelanggaran_anggota")
    with pytest.raises(TrainingError):
        do_start_exercise(acting_user=officers["operator"].user)


def test_pages_and_records_for_the_kapolres(
    officers: dict[str, Officer], closed: Aduan, polres: Unit
) -> None:
    trainee = Client()
    trainee.force_login(officers["operator"].user)
    page = trainee.get(reverse("console:training"))
    assert page.status_code == 200 and "Mulai latihan baru" in page.content.decode()
    started = trainee.post(reverse("console:training"))
    assert started.status_code == 302
    attempt = TrainingAttempt.objects.get()
    exercise = trainee.get(started["Location"]).content.decode()
    assert "[NAMA]" in exercise and "Rahmat" not in exercise
    unit = satuan_of(polres, "satreskrim")
    assert unit is not None
    submitted = trainee.post(
        started["Location"],
        {
            "category": "pencurian",
            "priority": "sedang",
            "unit": unit.pk,
            "reply": GOOD_REPLY.format(code=attempt.exercise_code),
        },
    )
    assert submitted.status_code == 302
    result = trainee.get(started["Location"]).content.decode()
    assert "Nilai: 100/100" in result
    # Records: the Kapolres sees every officer's; the trainee may not.
    assert trainee.get(reverse("console:training_records")).status_code == 403
    kapolres = Client()
    kapolres.force_login(officers["kapolres"].user)
    records = kapolres.get(reverse("console:training_records"))
    assert records.status_code == 200
    rows = {r.officer.pk: r for r in records.context["records"]}
    mine = rows[officers["operator"].pk]
    assert (mine.exercises, mine.best_score, mine.category_right) == (1, 100, 1)
    assert rows[officers["samapta"].pk].exercises == 0
    # Another officer cannot open someone else's exercise.
    other = Client()
    other.force_login(officers["satreskrim"].user)
    assert other.get(started["Location"]).status_code == 404
