"""A ronda roster runs a night end to end: reminder the day before on WhatsApp, check-in by the
pos's QR page, report with a photo, the monthly summary per desa."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from posko.channels.models import ChannelAccount
from posko.channels.testing import FakeApi
from posko.org.models import Officer, Unit
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift, monthly_summary
from posko.publishing.models import RondaShift
from posko.publishing.tests.conftest import WA_PHONE_ID, jpeg
from posko.publishing.tests.helpers import run_tasks_at
from posko.publishing.tests.test_alerts import whatsapp_fake
from posko.regions.models import Region

# Runs background tasks: also run on the RQ backend in CI (scripts/test).
pytestmark = pytest.mark.tasks


@pytest.mark.django_db(transaction=True)
def test_a_ronda_night_end_to_end(
    polres: Unit, officers: dict[str, Officer], wa_alerts: ChannelAccount, fake_api: FakeApi
) -> None:
    whatsapp_fake(fake_api)
    wa_alerts.config = {**wa_alerts.config, "ronda_template": {"name": "pengingat_ronda"}}
    wa_alerts.save(update_fields=["config"])
    bhabin = officers["bhabin_gantung"]
    desa = Region.objects.get(code="19.06.02.2001")
    pos = do_create_ronda_post(polres, desa, "Pos Ronda RT 03", acting_user=bhabin.user)
    tz = timezone.get_current_timezone()
    start = datetime.combine(timezone.localdate() + timedelta(days=3), datetime.min.time(), tz)
    start += timedelta(hours=22)
    shift = do_create_shift(
        pos,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        members=[("Pak Amir", "081277770001"), ("Pak Budi", "081277770002")],
        coordinator=bhabin,
        acting_user=bhabin.user,
    )
    run_tasks_at(start - timedelta(hours=30))
    assert fake_api.requests == []  # not yet: the reminder is the day before
    run_tasks_at(start - timedelta(hours=23))
    sent = fake_api.calls("POST", rf"/v23.0/{WA_PHONE_ID}/messages")
    assert sorted(r.json()["to"] for r in sent) == ["6281277770001", "6281277770002"]
    params = sent[0].json()["template"]["components"][0]["parameters"]
    assert params[1]["text"] == "Pos Ronda RT 03"

    client = Client()
    with time_machine.travel(start - timedelta(hours=3), tick=True):
        early = client.post(f"/ronda/{pos.token}/", {"action": "absen", "phone": "081277770001"})
        assert early.status_code == 400
    with time_machine.travel(start + timedelta(minutes=10), tick=True):
        ok = client.post(f"/ronda/{pos.token}/", {"action": "absen", "phone": "0812-7777-0001"})
        assert ok.status_code == 200 and "Pak Amir" in ok.content.decode()
        stranger = client.post(f"/ronda/{pos.token}/", {"action": "absen", "phone": "081299999999"})
        assert stranger.status_code == 400
    with time_machine.travel(start + timedelta(hours=6, minutes=5), tick=True):
        report = client.post(
            f"/ronda/{pos.token}/",
            {
                "action": "laporan",
                "phone": "081277770001",
                "text": "Aman, lampu jalan RT 03 mati.",
                "photo": jpeg(640, 480),
            },
        )
        assert report.status_code == 200, report.content.decode()[:500]
        denied = client.post(
            f"/ronda/{pos.token}/", {"action": "laporan", "phone": "081277770002", "text": "x"}
        )
        assert denied.status_code == 400  # Pak Budi never checked in
    shift = RondaShift.objects.get(pk=shift.pk)
    assert "lampu jalan RT 03 mati" in shift.report and shift.report_photo
    local = timezone.localtime(start)
    (summary,) = monthly_summary(polres, local.year, local.month)
    assert (summary.desa, summary.shifts, summary.members, summary.checked_in, summary.reports) == (
        desa.name,
        1,
        2,
        1,
        1,
    )
