from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from posko.aduan.actions import do_submit_aduan
from posko.aduan.models import ServiceHours, SlaPolicy
from posko.aduan.sla import add_service_time
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit

WIB = ZoneInfo("Asia/Jakarta")


def hours(**kwargs: object) -> ServiceHours:
    return ServiceHours(opens_at=time(8), closes_at=time(16), **kwargs)


def test_service_time_skips_nights_and_weekends() -> None:
    friday = datetime(2026, 11, 20, 15, 30, tzinfo=WIB)
    assert add_service_time(friday, timedelta(minutes=60), hours()) == datetime(
        2026, 11, 23, 8, 30, tzinfo=WIB
    )
    saturday_open = hours(saturday_open=True)
    assert add_service_time(friday, timedelta(minutes=60), saturday_open) == datetime(
        2026, 11, 21, 8, 30, tzinfo=WIB
    )
    night = datetime(2026, 11, 18, 22, 0, tzinfo=WIB)  # Wednesday night
    assert add_service_time(night, timedelta(hours=9), hours()) == datetime(
        2026, 11, 20, 9, 0, tzinfo=WIB
    )


def test_service_time_skips_public_holidays_and_cuti_bersama() -> None:
    before_christmas = datetime(2026, 12, 23, 15, 0, tzinfo=WIB)
    # 24 Dec is cuti bersama, 25 Dec Christmas, then the weekend.
    assert add_service_time(before_christmas, timedelta(hours=2), hours()) == datetime(
        2026, 12, 28, 9, 0, tzinfo=WIB
    )
    no_cuti = hours(observe_cuti_bersama=False)
    assert add_service_time(before_christmas, timedelta(hours=2), no_cuti) == datetime(
        2026, 12, 24, 9, 0, tzinfo=WIB
    )


@pytest.mark.django_db
def test_settings_page_changes_targets_for_new_aduan(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    admin, operator = Client(), Client()
    admin.login(username="admin", password=PASSWORD)
    operator.login(username="operator", password=PASSWORD)
    assert operator.get("/posko/pengaturan/sla/").status_code == 403
    page = admin.get("/posko/pengaturan/sla/")
    assert page.status_code == 200 and 'value="15"' in page.content.decode()

    data = {"opens_at": "08:00", "closes_at": "16:00", "observe_cuti_bersama": "on"}
    for code, (first, resolution) in {
        "darurat": (10, 600),
        "tinggi": (60, 2880),
        "sedang": (480, 4800),
        "rendah": (480, 9600),
    }.items():
        data |= {f"{code}_first": str(first), f"{code}_resolution": str(resolution)}
    data["rendah_hours"] = "on"

    bad = dict(data, darurat_resolution="5")
    response = admin.post("/posko/pengaturan/sla/", bad)
    assert response.status_code == 400 and "tidak boleh lebih singkat" in response.content.decode()
    assert SlaPolicy.objects.get(polres=polres, priority="darurat").first_response_minutes == 15

    assert admin.post("/posko/pengaturan/sla/", data).status_code == 302
    darurat = SlaPolicy.objects.get(polres=polres, priority="darurat")
    assert (darurat.first_response_minutes, darurat.resolution_minutes) == (10, 600)
    assert SlaPolicy.objects.get(polres=polres, priority="rendah").working_hours_only

    received = datetime(2026, 11, 20, 15, 0, tzinfo=WIB)  # Friday afternoon
    aduan = do_submit_aduan(
        polres,
        text="Terima kasih pak polisi atas pelayanannya",
        channel="web",
        received_at=received,
    )
    assert aduan.priority == "rendah"
    # 8 service hours from Friday 15:00: 1 h on Friday, 7 h on Monday.
    assert aduan.first_response_due == datetime(2026, 11, 23, 15, 0, tzinfo=WIB)
