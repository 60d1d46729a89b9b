"""Staff console under /posko/: login, inbox, aduan page actions, intake, tugas saya."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from posko.aduan.actions import do_submit_aduan
from posko.aduan.models import (
    Aduan,
    AduanMessage,
    AuditEvent,
    LabelCorrection,
    MessageKind,
    Notification,
    StatusChange,
)
from posko.aduan.tests.factories import make_aduan, polsek_named
from posko.conftest import PASSWORD
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
LOGIN = "/posko/masuk/"


def _client(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def _listed(response: Any) -> list[str]:
    return [a.code for a in response.context["page"].object_list]


def _sat(polres: Unit, code: str) -> Unit:
    unit = satuan_of(polres, code)
    assert unit is not None
    return unit


# --- login ------------------------------------------------------------------------------


def test_login_page_and_successful_login(officers: dict[str, Officer]) -> None:
    client = Client()
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Masuk" in page.content.decode()
    assert 'name="password"' in page.content.decode()

    response = client.post(LOGIN, {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("console:inbox")
    assert client.get(reverse("console:inbox")).status_code == 200


def test_wrong_password_is_refused_in_indonesian(officers: dict[str, Officer]) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "operator", "password": "salah-sandi"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_never_redirects_off_site(officers: dict[str, Officer]) -> None:
    response = Client().post(
        f"{LOGIN}?next=https://phishing.example/posko/",
        {"username": "operator", "password": PASSWORD, "next": "https://phishing.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:inbox")


def test_console_forms_are_csrf_protected(officers: dict[str, Officer], polres: Unit) -> None:
    aduan = make_aduan(polres)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officers["operator"].user)
    response = client.post(reverse("console:reply", args=[aduan.code]), {"text": "tanpa token"})
    assert response.status_code == 403
    assert not AduanMessage.objects.filter(aduan=aduan, text="tanpa token").exists()


def test_logout(officers: dict[str, Officer]) -> None:
    client = _client(officers["operator"])
    assert client.post(reverse("console:logout")).status_code == 302
    assert client.get(reverse("console:inbox")).status_code == 302


# --- inbox ------------------------------------------------------------------------------


def test_inbox_orders_by_priority_then_sla_due(polres: Unit, officers: dict[str, Officer]) -> None:
    made = {
        "sedang": make_aduan(polres, priority="sedang", received_at=START),
        "darurat_later": make_aduan(polres, priority="darurat", received_at=START + 30 * MIN),
        "tinggi": make_aduan(polres, priority="tinggi", received_at=START),
        "darurat_first": make_aduan(polres, priority="darurat", received_at=START),
        # Answered: its running clock is the resolution (+24 h), behind the unanswered ones.
        "darurat_answered": make_aduan(
            polres,
            priority="darurat",
            received_at=START - HOUR,
            first_responded_at=START - 50 * MIN,
        ),
        "rendah": make_aduan(polres, priority="rendah", received_at=START - DAY),
        "tinggi_earlier": make_aduan(polres, priority="tinggi", received_at=START - 10 * MIN),
        "closed": make_aduan(polres, priority="darurat", received_at=START, status="selesai"),
    }
    expected = [
        "darurat_first",
        "darurat_later",
        "darurat_answered",
        "tinggi_earlier",
        "tinggi",
        "sedang",
        "rendah",
    ]
    with time_machine.travel(START + HOUR, tick=False):
        response = _client(officers["operator"]).get(reverse("console:inbox"))
    assert response.status_code == 200
    assert _listed(response) == [made[name].code for name in expected]
    html = response.content.decode()
    positions = [html.index(made[name].code) for name in expected]
    assert positions == sorted(positions)
    assert made["closed"].code not in html


@pytest.fixture
def board(polres: Unit) -> dict[str, Aduan]:
    return {
        "lantas_manggar": make_aduan(
            polres,
            text="Lampu merah mati di simpang Padang",
            category="lalu_lintas",
            desa="19.06.01.2003",
            received_at=START,
        ),
        "curi_gantung": make_aduan(
            polres,
            text="Motor dicuri di Selingsing",
            category="pencurian",
            desa="19.06.02.2002",
            channel="whatsapp",
            received_at=START,
        ),
        "ribut_gantung": make_aduan(
            polres,
            text="Pemuda mabuk ribut di desa Gantung",
            category="ketertiban",
            desa="19.06.02.2001",
            channel="telepon",
            received_at=START,
        ),
        "selesai_info": make_aduan(
            polres,
            text="Tanya jam buka SPKT",
            category="informasi",
            channel="sms",
            status="selesai",
            received_at=START,
        ),
        "curi_lama": make_aduan(
            polres, text="Dompet hilang di pasar", category="pencurian", received_at=START - 2 * DAY
        ),
    }


def _filter_cases(polres: Unit, board: dict[str, Aduan]) -> list[tuple[dict[str, Any], set[str]]]:
    gantung = polsek_named(polres, "Gantung")
    return [
        ({}, {"lantas_manggar", "curi_gantung", "ribut_gantung", "curi_lama"}),
        ({"status": "semua"}, set(board)),
        ({"status": "selesai"}, {"selesai_info"}),
        ({"status": "baru"}, {"lantas_manggar", "curi_gantung", "ribut_gantung", "curi_lama"}),
        ({"category": "pencurian"}, {"curi_gantung", "curi_lama"}),
        ({"unit": _sat(polres, "satlantas").pk}, {"lantas_manggar"}),
        ({"unit": _sat(polres, "satreskrim").pk}, {"curi_gantung", "curi_lama"}),
        ({"polsek": gantung.pk}, {"curi_gantung", "ribut_gantung"}),
        ({"desa": "19.06.02.2001"}, {"ribut_gantung"}),
        ({"channel": "whatsapp"}, {"curi_gantung"}),
        ({"channel": "sms", "status": "semua"}, {"selesai_info"}),
        ({"overdue": "on"}, {"curi_lama"}),
        ({"category": "pencurian", "polsek": gantung.pk}, {"curi_gantung"}),
        ({"q": "selingsing"}, {"curi_gantung"}),
        ({"q": board["ribut_gantung"].code.lower()}, {"ribut_gantung"}),
    ]


def test_inbox_filters_and_counts(
    polres: Unit, officers: dict[str, Officer], board: dict[str, Aduan]
) -> None:
    client = _client(officers["operator"])
    by_code = {a.code: name for name, a in board.items()}
    with time_machine.travel(START + HOUR, tick=False):
        for params, expected in _filter_cases(polres, board):
            response = client.get(reverse("console:inbox"), params)
            assert response.status_code == 200, params
            assert {by_code[c] for c in _listed(response)} == expected, params
            assert response.context["page"].paginator.count == len(expected), params
            html = response.content.decode()
            for name, aduan in board.items():
                assert (aduan.code in html) == (name in expected), (params, name)
            # The header counts describe the whole inbox, whatever the filter.
            counts = response.context["counts"]
            assert counts["open"] == 4 and counts["overdue"] == 1, params
            assert counts["status"]["baru"] == 4 and counts["status"]["selesai"] == 1, params


def test_unknown_filter_value_shows_the_default_inbox(
    polres: Unit, officers: dict[str, Officer], board: dict[str, Aduan]
) -> None:
    response = _client(officers["operator"]).get(reverse("console:inbox"), {"unit": "999999"})
    assert response.status_code == 200
    assert len(_listed(response)) == 4


def test_htmx_filter_request_renders_only_the_table(
    polres: Unit, officers: dict[str, Officer], board: dict[str, Aduan]
) -> None:
    response = _client(officers["operator"]).get(
        reverse("console:inbox"), {"channel": "whatsapp"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "console/_inbox_table.html" in names and "console/inbox.html" not in names
    assert board["curi_gantung"].code in response.content.decode()
    assert "<html" not in response.content.decode()


# --- aduan page ---------------------------------------------------------------------------


@pytest.fixture
def aduan(polres: Unit) -> Aduan:
    return make_aduan(
        polres,
        text="Motor dicuri di Selingsing",
        category="pencurian",
        priority="tinggi",
        desa="19.06.02.2002",
        received_at=START,
        reporter_name="Rudi Hartono",
        reporter_phone="+6281211112222",
    )


def test_aduan_page_shows_thread_reporter_and_sla(
    officers: dict[str, Officer], aduan: Aduan
) -> None:
    with time_machine.travel(START + 10 * MIN, tick=False):
        response = _client(officers["operator"]).get(
            reverse("console:aduan_detail", args=[aduan.code])
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Motor dicuri di Selingsing" in html
    assert "Rudi Hartono" in html and "+6281211112222" in html  # staff do see the reporter
    assert "Satreskrim" in html and "Polsek Gantung" in html
    assert "sisa 50\xa0menit" in html
    assert response.context["can_change"] is True


def test_public_reply_and_internal_note(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = _client(officers["satreskrim"])
    url = reverse("console:reply", args=[aduan.code])

    with time_machine.travel(START + 5 * MIN, tick=False):
        note = client.post(url, {"text": "Cek CCTV pasar dulu", "internal": "on"})
    assert note.status_code == 302
    assert note["Location"] == reverse("console:aduan_detail", args=[aduan.code])
    aduan.refresh_from_db()
    assert aduan.first_responded_at is None  # an internal note is not a response

    with time_machine.travel(START + 20 * MIN, tick=False):
        reply = client.post(url, {"text": "Laporan diterima, petugas menuju lokasi."})
    assert reply.status_code == 302
    aduan.refresh_from_db()
    assert aduan.first_responded_at == START + 20 * MIN

    kinds = list(
        AduanMessage.objects.filter(aduan=aduan)
        .exclude(kind=MessageKind.INCOMING)
        .values_list("kind", "text", "author__username", "delivery_state")
    )
    assert kinds == [
        (MessageKind.INTERNAL_NOTE, "Cek CCTV pasar dulu", "satreskrim", ""),
        # A web report is answered on the tracking page: nothing to deliver.
        (MessageKind.PUBLIC_REPLY, "Laporan diterima, petugas menuju lokasi.", "satreskrim", ""),
    ]
    actions = list(AuditEvent.objects.filter(aduan=aduan).values_list("action", flat=True))
    assert actions == ["note_added", "reply_added"]

    page = client.get(reverse("console:aduan_detail", args=[aduan.code])).content.decode()
    assert "Cek CCTV pasar dulu" in page and "petugas menuju lokasi" in page


def test_empty_reply_is_refused(officers: dict[str, Officer], aduan: Aduan) -> None:
    response = _client(officers["operator"]).post(
        reverse("console:reply", args=[aduan.code]), {"text": ""}
    )
    assert response.status_code == 400
    assert "Isi pesan wajib diisi." in response.content.decode()
    assert AduanMessage.objects.filter(aduan=aduan).count() == 1


def test_status_change_with_reason(officers: dict[str, Officer], aduan: Aduan) -> None:
    client = _client(officers["operator"])
    url = reverse("console:change_status", args=[aduan.code])

    missing = client.post(url, {"status": "ditolak", "reason": "  "})
    assert missing.status_code == 400
    assert "Alasan wajib diisi" in missing.content.decode()
    aduan.refresh_from_db()
    assert aduan.status == "baru"

    # Not offered from "baru": the form refuses it before the action is called.
    skipped = client.post(url, {"status": "selesai"})
    assert skipped.status_code == 400
    aduan.refresh_from_db()
    assert aduan.status == "baru"

    done = client.post(url, {"status": "ditolak", "reason": "Bukan tindak pidana"})
    assert done.status_code == 302
    aduan.refresh_from_db()
    assert aduan.status == "ditolak"
    change = StatusChange.objects.filter(aduan=aduan).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == (
        "baru",
        "ditolak",
        "Bukan tindak pidana",
    )
    assert change.actor == officers["operator"].user

    page = client.get(reverse("console:aduan_detail", args=[aduan.code]))
    assert "Bukan tindak pidana" in page.content.decode()
    offered = [c[0] for c in page.context["status_form"].fields["status"].choices]
    assert offered == ["ditangani"]  # a refused aduan can only be reopened


def test_assign_to_unit_and_officer(
    polres: Unit, officers: dict[str, Officer], aduan: Aduan
) -> None:
    client = _client(officers["operator"])
    url = reverse("console:assign", args=[aduan.code])
    gantung = polsek_named(polres, "Gantung")
    officer = officers["polsek_gantung"]

    response = client.post(url, {"unit": gantung.pk, "officer": officer.pk})
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert (aduan.handling_unit, aduan.assigned_officer) == (gantung, officer)
    note = Notification.objects.get(recipient=officer)
    assert aduan.code in note.text
    event = AuditEvent.objects.get(aduan=aduan, action="assigned")
    assert event.data["unit"] == gantung.pk and event.data["officer"] == officer.pk
    assert event.data["before"]["unit"] == _sat(polres, "satreskrim").pk


def test_officer_of_another_unit_is_rejected(
    polres: Unit, officers: dict[str, Officer], aduan: Aduan
) -> None:
    client = _client(officers["operator"])
    response = client.post(
        reverse("console:assign", args=[aduan.code]),
        {"unit": _sat(polres, "satreskrim").pk, "officer": officers["satlantas"].pk},
    )
    assert response.status_code == 400
    assert "Petugas ini bukan anggota satuan yang dipilih." in response.content.decode()
    aduan.refresh_from_db()
    assert aduan.assigned_officer is None
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="assigned").exists()


def test_unit_of_another_polres_is_rejected(
    other_polres: Unit, officers: dict[str, Officer], aduan: Aduan
) -> None:
    foreign = _sat(other_polres, "satreskrim")
    response = _client(officers["operator"]).post(
        reverse("console:assign", args=[aduan.code]), {"unit": foreign.pk}
    )
    assert response.status_code == 400
    aduan.refresh_from_db()
    assert aduan.handling_unit == _sat(aduan.polres, "satreskrim")


def test_unit_officer_may_assign_within_but_not_move_to_another_unit(
    polres: Unit, officers: dict[str, Officer], aduan: Aduan
) -> None:
    client = _client(officers["satreskrim"])
    url = reverse("console:assign", args=[aduan.code])
    moved = client.post(url, {"unit": _sat(polres, "satlantas").pk})
    assert moved.status_code == 403
    assert "Hanya operator atau pimpinan" in moved.content.decode()
    aduan.refresh_from_db()
    assert aduan.handling_unit == _sat(polres, "satreskrim")

    mine = client.post(
        url, {"unit": _sat(polres, "satreskrim").pk, "officer": officers["satreskrim"].pk}
    )
    assert mine.status_code == 302
    aduan.refresh_from_db()
    assert aduan.assigned_officer == officers["satreskrim"]


def test_label_correction_records_corrections_and_audit(
    officers: dict[str, Officer], aduan: Aduan
) -> None:
    client = _client(officers["operator"])
    with time_machine.travel(START + 5 * MIN, tick=False):
        response = client.post(
            reverse("console:correct_labels", args=[aduan.code]),
            {
                "category": "kekerasan",
                "priority": "darurat",
                "tone": "netral",  # unchanged
                "desa": "19.06.02.2001",
            },
        )
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert (aduan.category, aduan.priority, aduan.tone) == ("kekerasan", "darurat", "netral")
    assert (aduan.desa_id, aduan.kecamatan_id) == ("19.06.02.2001", "19.06.02")
    assert aduan.first_response_due == START + 15 * MIN

    rows = list(
        LabelCorrection.objects.filter(aduan=aduan).values_list(
            "field", "old_value", "new_value", "text", "actor__username"
        )
    )
    assert rows == [
        ("category", "pencurian", "kekerasan", aduan.text, "operator"),
        ("priority", "tinggi", "darurat", aduan.text, "operator"),
        ("desa", "19.06.02.2002", "19.06.02.2001", aduan.text, "operator"),
    ]
    event = AuditEvent.objects.get(aduan=aduan, action="labels_corrected")
    assert event.data["changes"] == {
        "category": ["pencurian", "kekerasan"],
        "priority": ["tinggi", "darurat"],
        "desa": ["19.06.02.2002", "19.06.02.2001"],
    }

    # Saving the same labels again changes nothing.
    again = client.post(
        reverse("console:correct_labels", args=[aduan.code]),
        {"category": "kekerasan", "priority": "darurat", "tone": "netral", "desa": "19.06.02.2001"},
    )
    assert again.status_code == 302
    assert LabelCorrection.objects.filter(aduan=aduan).count() == 3


def test_label_correction_refuses_a_desa_of_another_polres(
    officers: dict[str, Officer], aduan: Aduan
) -> None:
    response = _client(officers["operator"]).post(
        reverse("console:correct_labels", args=[aduan.code]),
        {"category": "pencurian", "priority": "tinggi", "tone": "netral", "desa": "19.02.01.1001"},
    )
    assert response.status_code == 400
    assert not LabelCorrection.objects.exists()


def test_photo_is_served_to_staff_who_may_see_the_aduan(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    import io

    from PIL import Image

    from posko.aduan.photos import CleanPhoto

    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buf, format="PNG")
    aduan = do_submit_aduan(
        polres,
        text="Motor saya hilang dicuri di parkiran pasar Manggar tadi malam",
        channel="web",
        photos=[CleanPhoto(buf.getvalue(), "image/png", "png", 10, 10)],
    )
    photo = aduan.photos.get()
    url = reverse("console:photo", args=[aduan.code, photo.pk])
    ok = _client(officers["operator"]).get(url)
    assert ok.status_code == 200
    assert ok["Content-Type"] == "image/png"
    assert ok.getvalue() == buf.getvalue()
    assert _client(officers["other_operator"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


# --- intake -----------------------------------------------------------------------------

INTAKE_TEXT = "Motor saya hilang dicuri di parkiran pasar Gantung tadi malam"


@pytest.mark.parametrize(
    ("channel", "role"),
    [
        ("telepon", "operator"),
        ("sms", "operator"),
        ("datang_langsung", "polsek_gantung"),
        ("bhabinkamtibmas", "bhabin_gantung"),
    ],
)
def test_intake_records_the_real_channel(
    officers: dict[str, Officer], channel: str, role: str
) -> None:
    officer = officers[role]
    response = _client(officer).post(
        reverse("console:intake"),
        {
            "channel": channel,
            "text": INTAKE_TEXT,
            "category": "",
            "desa": "19.06.02.2001",
            "reporter_name": "Pak Darto",
            "reporter_phone": "0812-7777-8888",
        },
    )
    aduan = Aduan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:aduan_detail", args=[aduan.code])
    assert aduan.channel == channel
    assert aduan.created_by == officer.user
    assert (aduan.reporter_name, aduan.reporter_phone) == ("Pak Darto", "+6281277778888")
    assert aduan.polsek is not None and aduan.polsek.name == "Polsek Gantung"
    assert aduan.messages.get().channel == channel
    created = AuditEvent.objects.get(aduan=aduan, action="created")
    assert created.actor == officer.user and created.data["channel"] == channel


def test_intake_form_offers_only_offline_channels(officers: dict[str, Officer]) -> None:
    client = _client(officers["operator"])
    page = client.get(reverse("console:intake"))
    assert page.status_code == 200
    offered = {c[0] for c in page.context["form"].fields["channel"].choices}
    assert {"telepon", "sms", "datang_langsung", "bhabinkamtibmas"} <= offered
    assert "web" not in offered and "api" not in offered

    response = client.post(reverse("console:intake"), {"channel": "web", "text": INTAKE_TEXT})
    assert response.status_code == 400
    assert not Aduan.objects.exists()


def test_intake_of_a_restricted_complaint_goes_back_to_the_inbox(
    officers: dict[str, Officer],
) -> None:
    client = _client(officers["operator"])
    response = client.post(
        reverse("console:intake"),
        {
            "channel": "telepon",
            "text": "Ada oknum polisi minta uang damai waktu razia di Manggar",
            "category": "pelanggaran_anggota",
            "anonymous": "on",
        },
        follow=True,
    )
    aduan = Aduan.objects.get()
    assert aduan.handling_unit is not None and aduan.handling_unit.satuan == "propam"
    assert response.redirect_chain[-1][0] == reverse("console:inbox")
    html = response.content.decode()
    assert "bersifat terbatas" in html
    assert f"Aduan {aduan.code} tercatat." in html  # the caller can be given the code
    assert aduan.code not in _listed(response)  # but the operator cannot open it
    assert (
        _client(officers["propam"])
        .get(reverse("console:aduan_detail", args=[aduan.code]))
        .status_code
        == 200
    )


# --- tugas saya / notifications ------------------------------------------------------------


def test_my_tasks_lists_only_what_is_assigned_to_me(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    reskrim = _sat(polres, "satreskrim")
    mine = make_aduan(polres, category="pencurian", text="Tugas untuk saya")
    unit_only = make_aduan(polres, category="pencurian", text="Tugas satuan")
    _client(officers["operator"]).post(
        reverse("console:assign", args=[mine.code]),
        {"unit": reskrim.pk, "officer": officers["satreskrim"].pk},
    )

    client = _client(officers["satreskrim"])
    tasks = client.get(reverse("console:my_tasks"))
    assert tasks.status_code == 200
    assert _listed(tasks) == [mine.code]
    assert unit_only.code not in tasks.content.decode()
    assert "Tugas saya" in tasks.content.decode()
    inbox = client.get(reverse("console:inbox"))
    assert set(_listed(inbox)) == {mine.code, unit_only.code}

    assert _listed(_client(officers["operator"]).get(reverse("console:my_tasks"))) == []

    notes = client.get(reverse("console:notifications"))
    assert notes.status_code == 200
    assert mine.code in notes.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
