from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from posko.aduan.actions import do_add_message, do_submit_aduan
from posko.aduan.actions.intake import Reporter
from posko.aduan.codes import CODE_RE
from posko.aduan.models import AuditEvent, Notification, Status
from posko.core.testing import run_tasks
from posko.org.models import Officer, Unit

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks

DARURAT_TEXT = "tolong pak ada tawuran bawa sajam di depan pasar Gantung sekarang"


@pytest.mark.django_db
def test_darurat_report_is_triaged_routed_and_timed(polres: Unit) -> None:
    received = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    aduan = do_submit_aduan(polres, text=DARURAT_TEXT, channel="web", received_at=received)

    assert CODE_RE.match(aduan.code) and aduan.code.startswith("BLT-")
    assert (aduan.category, aduan.priority) == ("kekerasan", "darurat")
    assert aduan.polsek is not None and aduan.polsek.name == "Polsek Gantung"
    # taxonomy ("Place"): the market of a kecamatan's town is the kecamatan, not the desa
    assert aduan.desa_id is None and aduan.kecamatan_id == "19.06.02"
    assert aduan.handling_unit is not None and aduan.handling_unit.satuan == "samapta"
    assert aduan.first_response_due == received + timedelta(minutes=15)
    assert aduan.resolution_due == received + timedelta(hours=24)
    assert aduan.status == Status.BARU
    assert aduan.messages.get().text == DARURAT_TEXT
    created = AuditEvent.objects.get(aduan=aduan, action="created")
    assert created.data["triage"]["priority"] == "darurat"


@pytest.mark.django_db
def test_anonymous_report_keeps_no_contact(polres: Unit) -> None:
    aduan = do_submit_aduan(
        polres,
        text="Ada pungli di jalan raya Manggar oleh preman",
        channel="web",
        reporter=Reporter(name="Budi", phone="+6281200000000", anonymous=True),
    )
    assert (aduan.reporter_name, aduan.reporter_phone, aduan.anonymous) == ("", "", True)


@pytest.mark.django_db
def test_empty_text_saves_nothing(polres: Unit) -> None:
    with pytest.raises(ValueError):
        do_submit_aduan(polres, text="   ", channel="web")
    assert not polres.aduan.exists()


@pytest.mark.django_db(transaction=True)
def test_unanswered_darurat_escalates_to_unit_head_and_kapolres(
    officers: dict[str, Officer], polres: Unit
) -> None:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        aduan = do_submit_aduan(polres, text=DARURAT_TEXT, channel="web")
        assert run_tasks() is not None
        assert not Notification.objects.exists()  # not due yet: the task waits

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        run_tasks()
    aduan.refresh_from_db()
    assert aduan.escalated_at is not None
    notified = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert notified == {"samapta", "kapolres", "operator"}
    assert AuditEvent.objects.filter(aduan=aduan, action="escalated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_answered_in_time_does_not_escalate(officers: dict[str, Officer], polres: Unit) -> None:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        aduan = do_submit_aduan(polres, text=DARURAT_TEXT, channel="web")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        do_add_message(
            aduan,
            "Anggota Samapta meluncur ke lokasi.",
            public=True,
            acting_user=officers["operator"].user,
        )
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        run_tasks()
    aduan.refresh_from_db()
    assert aduan.escalated_at is None
    assert not Notification.objects.exists()
