"""Regression tests for the defects of issue 7 ("The working console")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from posko.aduan.actions import do_submit_aduan
from posko.aduan.actions.sla import do_check_sla_deadline
from posko.aduan.codes import normalize_code
from posko.aduan.models import Notification, ServiceHours, SlaPolicy
from posko.aduan.tests.factories import make_aduan
from posko.org.models import Officer, Unit

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SLA = "/posko/pengaturan/sla/"


def _client(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def _form_values(html: str) -> dict[str, str]:
    """What a browser would post back from the page, untouched."""
    values: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                values[name.group(1)] = "on"
            continue
        values[name.group(1)] = value.group(1) if value else ""
    for select in re.findall(r'<select name="([^"]+)".*?</select>', html, flags=re.S):
        block = re.search(rf'<select name="{select}".*?</select>', html, flags=re.S)
        assert block is not None
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', block.group(0))
        values[select] = chosen.group(1) if chosen else ""
    return values


def test_sla_page_round_trips_service_hours(polres: Unit, officers: dict[str, Officer]) -> None:
    admin = _client(officers["admin"])
    page = admin.get(SLA).content.decode()
    # <input type="time"> reads only HH:MM; "08.00.00" came back blank in the browser.
    assert 'name="opens_at" value="08:00"' in page
    assert 'name="closes_at" value="16:00"' in page
    assert "08.00.00" not in page
    response = admin.post(SLA, _form_values(page))
    assert response.status_code == 302, response.content.decode()[:2000]
    hours = ServiceHours.objects.get(polres=polres)
    assert (hours.opens_at.hour, hours.closes_at.hour) == (8, 16)


def test_sla_targets_in_hours_and_days(polres: Unit, officers: dict[str, Officer]) -> None:
    admin = _client(officers["admin"])
    data = _form_values(admin.get(SLA).content.decode())
    # Shown back in the largest whole unit: 24 h → "1 hari", 15 min → "15 menit".
    assert (data["darurat_first"], data["darurat_first_unit"]) == ("15", "menit")
    assert (data["darurat_resolution"], data["darurat_resolution_unit"]) == ("1", "hari")
    data |= {"tinggi_first": "2", "tinggi_first_unit": "jam"}
    data |= {"tinggi_resolution": "4", "tinggi_resolution_unit": "hari"}
    assert admin.post(SLA, data).status_code == 302
    tinggi = SlaPolicy.objects.get(polres=polres, priority="tinggi")
    assert (tinggi.first_response_minutes, tinggi.resolution_minutes) == (120, 4 * 24 * 60)
    page = admin.get(SLA).content.decode()
    assert _form_values(page)["tinggi_first_unit"] == "jam"
    # Every input of the table has an accessible name.
    for tag in re.findall(r"<(?:input|select)[^>]*name=\"(?:darurat|tinggi)_[^>]*>", page):
        assert "aria-label=" in tag, tag

    too_long = dict(data, rendah_resolution="400", rendah_resolution_unit="hari")
    refused = admin.post(SLA, too_long)
    assert refused.status_code == 400 and "Target paling lama 365 hari." in refused.content.decode()


def test_my_tasks_counts_only_my_tasks(polres: Unit, officers: dict[str, Officer]) -> None:
    samapta = officers["samapta"]
    for _ in range(3):
        make_aduan(polres, received_at=START)
    mine = make_aduan(polres, received_at=START, assigned_officer=officers["operator"])
    response = _client(officers["operator"]).get(reverse("console:my_tasks"))
    assert [a.code for a in response.context["page"].object_list] == [mine.code]
    assert response.context["counts"]["open"] == 1
    assert response.context["counts"]["status"]["baru"] == 1
    assert samapta  # other officers' work stays out of these counts


def test_stat_cards_link_to_their_lists_and_include_diverifikasi(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    make_aduan(polres, received_at=START, status="diverifikasi")
    make_aduan(polres, received_at=START)
    client = _client(officers["operator"])
    html = client.get(reverse("console:inbox")).content.decode()
    for query in ("status=terbuka", "overdue=on", "status=baru", "status=diverifikasi"):
        assert f'href="/posko/?{query}"' in html, query
    assert 'data-stat="diverifikasi"><strong>1</strong>' in html
    filtered = client.get(reverse("console:inbox"), {"status": "diverifikasi"})
    assert len(filtered.context["page"].object_list) == 1
    assert 'href="/posko/?status=diverifikasi" aria-current="true"' in filtered.content.decode()
    mine = client.get(reverse("console:my_tasks")).content.decode()
    assert 'href="/posko/tugas-saya/?status=baru"' in mine


def test_overdue_aduan_notify_the_operator(polres: Unit, officers: dict[str, Officer]) -> None:
    aduan = do_submit_aduan(
        polres,
        text="tolong ada kecelakaan korban masih di jalan depan pasar Gantung",
        channel="web",
        received_at=START,
    )
    due = aduan.first_response_due
    assert due is not None
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert do_check_sla_deadline(aduan.pk, "first_response", due.isoformat()) == "escalated"
    assert Notification.objects.filter(recipient=officers["operator"], aduan=aduan).exists()
    # Never another Polres's operator.
    assert not Notification.objects.filter(recipient=officers["other_operator"]).exists()


def test_forbidden_and_not_found_pages_are_styled(officers: dict[str, Officer]) -> None:
    operator = _client(officers["operator"])
    refused = operator.get(SLA)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "posko/posko.css" in html and 'class="con-header"' in html
    assert "Hanya admin atau pimpinan yang dapat mengubah pengaturan." in html
    missing = operator.get("/posko/aduan/BLT-ZZZZZZ/")
    assert missing.status_code == 404
    assert "posko/posko.css" in missing.content.decode()
    assert "Halaman tidak ditemukan" in missing.content.decode()
    public = Client().get("/tidak-ada/")
    assert public.status_code == 404 and 'class="pub-header"' in public.content.decode()


def test_tracking_code_is_found_however_it_is_typed(polres: Unit) -> None:
    aduan = make_aduan(polres, received_at=START)
    prefix, rest = aduan.code.split("-")
    for typed in (
        f"{prefix.lower()} {rest.lower()}",
        f"{prefix}{rest}",
        f" {prefix.lower()}-{rest.lower()} ",
        f"{prefix}\u2013{rest}",
        f"{prefix}.{rest}",
    ):
        assert normalize_code(typed) == aduan.code, typed
        response = Client().get(reverse("portal:lacak"), {"kode": typed}, follow=True)
        assert response.status_code == 200, typed
        assert response.context["aduan"].pk == aduan.pk


def test_contacts_have_tap_to_call_and_whatsapp(polres: Unit, officers: dict[str, Officer]) -> None:
    bhabin = officers["bhabin_gantung"]
    bhabin.phone = "0812-9999-0000"
    bhabin.save()
    html = Client().get(reverse("portal:kontak")).content.decode()
    assert 'href="tel:+6281299990000"' in html
    assert 'href="https://wa.me/6281299990000"' in html
    assert "<table" not in html  # a list that reads on a phone, not a 3-column table


def test_honeypot_is_out_of_the_tab_order(polres: Unit) -> None:
    html = Client().get(reverse("portal:lapor")).content.decode()
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', html)
    assert honeypot is not None and 'tabindex="-1"' in honeypot.group(0)
    assert '<div class="hp" aria-hidden="true">' in html
