"""The publishing calendar: day, week and month views of posts and ronda shifts, with their
navigation; the recurring series pages in the console."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posko.channels.models import ChannelAccount
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.ronda import do_create_ronda_post, do_create_shift
from posko.publishing.calendar import period
from posko.publishing.models import Post, PostSeries, PostStatus
from posko.regions.models import Region


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def test_periods_cover_whole_weeks_and_step_by_their_own_length() -> None:
    month = period("bulan", date(2027, 2, 10))
    assert month.first == date(2027, 2, 1) and month.days == 28  # 1 Feb 2027 is a Monday
    assert (month.previous, month.next) == (date(2027, 1, 1), date(2027, 3, 1))
    march = period("bulan", date(2027, 3, 31))
    assert march.first == date(2027, 3, 1) and march.days == 35
    week = period("minggu", date(2027, 3, 4))
    assert week.first == date(2027, 3, 1) and week.next == date(2027, 3, 8)
    assert week.last == date(2027, 3, 7)
    day = period("hari", date(2027, 3, 4))
    assert (day.days, day.previous, day.next) == (1, date(2027, 3, 3), date(2027, 3, 5))


@pytest.mark.django_db
def test_day_week_and_month_show_posts_and_ronda_shifts(
    officers: dict[str, Officer],
    polres: Unit,
    other_polres: Unit,
    accounts: dict[str, ChannelAccount],
) -> None:
    operator = officers["operator"]
    when = timezone.localtime() + timedelta(days=2)
    when = when.replace(hour=9, minute=30, second=0, microsecond=0)
    do_create_post(
        polres,
        Draft(
            kind="imbauan",
            text="Imbauan kamtibmas",
            title="Imbauan Sabtu",
            accounts=[accounts["facebook"]],
            publish_at=when,
        ),
        acting_user=operator.user,
    )
    rejected = do_create_post(
        polres,
        Draft(
            kind="imbauan",
            text="Ditolak",
            title="Ditolak",
            accounts=[accounts["facebook"]],
            publish_at=when,
        ),
        acting_user=operator.user,
    )
    Post.objects.filter(pk=rejected.pk).update(status=PostStatus.REJECTED)
    gantung = Region.objects.get(code="19.06.02.2001")
    pos = do_create_ronda_post(polres, gantung, "Pos Ronda RT 03", acting_user=operator.user)
    night = when.replace(hour=22, minute=0)
    do_create_shift(
        pos,
        starts_at=night,
        ends_at=night + timedelta(hours=6),
        members=[("Pak Budi", "081234567890")],
        coordinator=None,
        acting_user=operator.user,
    )
    client = login(operator)
    day_iso = when.date().isoformat()
    for view in ("hari", "minggu", "bulan"):
        page = client.get("/posko/publikasi/kalender/", {"tampil": view, "tanggal": day_iso})
        html = page.content.decode()
        assert page.status_code == 200
        assert f'data-view="{view}"' in html
        assert "Imbauan Sabtu" in html and "Ronda Pos Ronda RT 03" in html
        assert "Ditolak" not in html
        assert "09:30" in html and "22:00" in html
    day = client.get("/posko/publikasi/kalender/", {"tampil": "hari", "tanggal": day_iso})
    html = day.content.decode()
    previous = (when.date() - timedelta(days=1)).isoformat()
    assert f"tampil=hari&amp;tanggal={previous}" in html
    assert len(re.findall(r'data-testid="calendar-item"', html)) == 2
    other_day = client.get(
        "/posko/publikasi/kalender/", {"tampil": "hari", "tanggal": previous}
    ).content.decode()
    assert "Imbauan Sabtu" not in other_day
    # The old week link still works; another Polres sees none of it.
    week = client.get("/posko/publikasi/kalender/", {"minggu": day_iso}).content.decode()
    assert "Imbauan Sabtu" in week and 'data-view="minggu"' in week
    other = (
        login(officers["other_operator"])
        .get("/posko/publikasi/kalender/", {"tampil": "bulan", "tanggal": day_iso})
        .content.decode()
    )
    assert "Imbauan Sabtu" not in other and "Pos Ronda RT 03" not in other
    garbage = client.get("/posko/publikasi/kalender/", {"tampil": "tahun", "tanggal": "x"})
    assert garbage.status_code == 200 and 'data-view="minggu"' in garbage.content.decode()


@pytest.mark.django_db
def test_series_pages_create_edit_and_cancel(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    client = login(officers["operator"])
    assert client.get("/posko/publikasi/seri/").status_code == 200
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=8, minute=0)
    data = {
        "kind": "kampanye_edukasi",
        "title": "Sabtu Edukasi",
        "text": "Edukasi lalu lintas setiap Sabtu.",
        "accounts": [accounts["facebook"].pk],
        "first_at": start.strftime("%Y-%m-%dT%H:%M"),
        "frequency": "weekly",
        "until": "",
        "count": "",
    }
    refused = client.post("/posko/publikasi/seri/", data)
    assert refused.status_code == 400
    assert "Isi salah satu: sampai tanggal atau jumlah kali." in refused.content.decode()
    assert not PostSeries.objects.exists()
    data["count"] = "3"
    created = client.post("/posko/publikasi/seri/", data)
    series = PostSeries.objects.get()
    assert created.status_code == 302 and created["Location"].endswith(f"/seri/{series.pk}/")
    assert series.posts.filter(status=PostStatus.IN_REVIEW).count() == 3
    data["text"] = "Edukasi lalu lintas setiap Sabtu pagi."
    client.post(f"/posko/publikasi/seri/{series.pk}/", data)
    assert set(series.posts.values_list("text", flat=True)) == {data["text"]}
    client.post(f"/posko/publikasi/seri/{series.pk}/setujui/")  # an operator may not approve
    assert series.posts.filter(status=PostStatus.IN_REVIEW).count() == 3
    kapolres = login(officers["kapolres"])
    page = kapolres.get(f"/posko/publikasi/seri/{series.pk}/").content.decode()
    assert "Setujui semua yang menunggu" in page
    kapolres.post(f"/posko/publikasi/seri/{series.pk}/setujui/")
    assert series.posts.filter(status=PostStatus.SCHEDULED).count() == 3
    client.post(f"/posko/publikasi/seri/{series.pk}/batal/")
    series.refresh_from_db()
    assert series.status == "cancelled"
    assert set(series.posts.values_list("status", flat=True)) == {PostStatus.REJECTED}
    auditor = login(officers["auditor"])
    assert auditor.post("/posko/publikasi/seri/", data).status_code == 403
    assert isinstance(start, datetime)
