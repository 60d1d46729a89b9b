"""Canned replies (admins edit, per Polres and category, placeholders filled), reply and
status in one submit, the officer picker's unit marks."""

from __future__ import annotations

import pytest
from django.test import Client

from posko.aduan.models import AduanMessage, MessageKind
from posko.aduan.tests.factories import make_aduan
from posko.org.models import Officer, Unit
from posko.workbench.actions import CannedReplyError, do_save_canned_reply
from posko.workbench.models import CannedReply

PAGE = "/posko/balasan-siap/"


def _client(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def test_admin_adds_a_reply_operator_uses_it(polres: Unit, officers: dict[str, Officer]) -> None:
    admin = _client(officers["admin"])
    saved = admin.post(
        PAGE,
        {
            "title": "Diterima",
            "category": "pencurian",
            "text": "Yth. {nama_pelapor}, laporan {kode} di {desa} sudah kami terima.",
        },
    )
    assert saved.status_code == 302
    other = make_aduan(polres, category="narkoba")
    aduan = make_aduan(polres, desa="19.06.02.2001", reporter_name="Budi", category="pencurian")
    html = _client(officers["operator"]).get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert f"Yth. Budi, laporan {aduan.code} di Gantung sudah kami terima." in html
    assert 'data-testid="canned"' not in (
        _client(officers["operator"]).get(f"/posko/aduan/{other.code}/").content.decode()
    )
    # Operators use them but do not edit them.
    refused = _client(officers["operator"]).post(PAGE, {"title": "x", "text": "y" * 20})
    assert refused.status_code == 403
    assert CannedReply.objects.count() == 1


def test_anonymous_reporter_is_addressed_politely(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    do_save_canned_reply(
        polres,
        title="Umum",
        text="Yth. {nama_pelapor}, terima kasih.",
        acting_user=officers["admin"].user,
    )
    aduan = make_aduan(polres)
    html = _client(officers["operator"]).get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert "Yth. Bapak/Ibu, terima kasih." in html


def test_unknown_placeholders_are_refused(polres: Unit, officers: dict[str, Officer]) -> None:
    with pytest.raises(CannedReplyError, match="telepon"):
        do_save_canned_reply(
            polres,
            title="Buruk",
            text="Nomor Anda {telepon} kami simpan.",
            acting_user=officers["admin"].user,
        )
    response = _client(officers["admin"]).post(PAGE, {"title": "Buruk", "text": "Halo {x pelapor"})
    assert response.status_code == 400 and "Kurung kurawal" in response.content.decode()
    assert not CannedReply.objects.exists()


def test_reply_and_status_in_one_submit(polres: Unit, officers: dict[str, Officer]) -> None:
    aduan = make_aduan(polres)
    client = _client(officers["operator"])
    response = client.post(
        f"/posko/aduan/{aduan.code}/balas/",
        {"text": "Laporan sudah kami verifikasi, petugas menuju lokasi.", "status": "diverifikasi"},
    )
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert aduan.status == "diverifikasi"
    assert AduanMessage.objects.filter(aduan=aduan, kind=MessageKind.PUBLIC_REPLY).count() == 1
    # A refused combination sends nothing at all.
    refused = client.post(
        f"/posko/aduan/{aduan.code}/balas/",
        {"text": "Catatan untuk tim", "internal": "on", "status": "ditolak"},
    )
    assert refused.status_code == 400
    aduan.refresh_from_db()
    assert aduan.status == "diverifikasi"
    assert not AduanMessage.objects.filter(aduan=aduan, kind=MessageKind.INTERNAL_NOTE).exists()


def test_officer_picker_marks_each_officers_unit(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = make_aduan(polres)
    html = _client(officers["operator"]).get(f"/posko/aduan/{aduan.code}/").content.decode()
    samapta = officers["samapta"]
    assert f'data-unit="{samapta.unit_id}" value="{samapta.pk}"' in html or (
        f'value="{samapta.pk}" data-unit="{samapta.unit_id}"' in html
    )
    assert 'data-filter-by="id_unit"' in html
