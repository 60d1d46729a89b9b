"""JSON API v1 under /api/v1/: bearer tokens, inbox, detail, staff intake, replies, status."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from posko.aduan.actions import do_add_message, do_submit_aduan
from posko.aduan.models import Aduan, AduanMessage, AuditEvent, MessageKind
from posko.aduan.tests.factories import make_aduan, polsek_named
from posko.api.actions import do_create_api_token
from posko.api.models import ApiToken
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
DARURAT_TEXT = "tolong pak ada tawuran bawa sajam di depan pasar Gantung sekarang"


class Api:
    """A test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


def _api(officer: Officer) -> Api:
    return Api(do_create_api_token(officer.user))


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- tokens -------------------------------------------------------------------------------


def test_token_command_prints_a_working_token(officers: dict[str, Officer]) -> None:
    out = StringIO()
    call_command("token", "create", "operator", "--label", "aplikasi piket", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("psk_") and len(raw) > 30

    stored = ApiToken.objects.get()
    assert stored.user == officers["operator"].user and stored.label == "aplikasi piket"
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in stored.key_hash
    assert stored.last_used_at is None

    with time_machine.travel(START, tick=False):
        response = Api(raw).get("/aduan")
    assert response.status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at == START


def test_token_command_refuses_unknown_and_non_staff_users(
    officers: dict[str, Officer], django_user_model: Any
) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("token", "create", "tidak-ada", stdout=StringIO())
    django_user_model.objects.create_user("warga", password="sandi-warga-123")
    with pytest.raises(CommandError, match="bukan personel Posko"):
        call_command("token", "create", "warga", stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer psk_salah"},
        {"Authorization": "Bearer "},
        {"Authorization": "Token psk_salah"},
    ],
    ids=["missing", "invalid", "empty", "wrong-scheme"],
)
def test_missing_or_invalid_token_is_a_json_401(
    officers: dict[str, Officer], headers: dict[str, str]
) -> None:
    for method, path in [
        ("get", "/api/v1/aduan"),
        ("get", "/api/v1/aduan/BLT-AAAAAA"),
        ("post", "/api/v1/aduan"),
    ]:
        response = getattr(Client(), method)(path, content_type="application/json", headers=headers)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"message": "Token tidak valid atau tidak ada."}


def test_revoked_token_and_inactive_user_are_refused(officers: dict[str, Officer]) -> None:
    operator = officers["operator"]
    revoked = do_create_api_token(operator.user)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert Api(revoked).get("/aduan").status_code == 401

    live = do_create_api_token(operator.user)
    assert Api(live).get("/aduan").status_code == 200
    operator.user.is_active = False
    operator.user.save()
    assert Api(live).get("/aduan").status_code == 401


# --- reading --------------------------------------------------------------------------------


def test_list_is_in_inbox_order_with_codes(polres: Unit, officers: dict[str, Officer]) -> None:
    made = [
        make_aduan(polres, priority="rendah", received_at=START - DAY),
        make_aduan(polres, priority="tinggi", received_at=START),
        make_aduan(polres, priority="darurat", received_at=START + 10 * MIN),
        make_aduan(polres, priority="darurat", received_at=START),
        make_aduan(polres, priority="sedang", received_at=START - HOUR),
    ]
    expected = [made[3], made[2], made[1], made[4], made[0]]
    with time_machine.travel(START + 20 * MIN, tick=False):
        body = _api(officers["operator"]).get("/aduan").json()
    assert body["count"] == 5
    assert [item["code"] for item in body["items"]] == [a.code for a in expected]
    first = body["items"][0]
    assert first["priority"] == "darurat" and first["status"] == "baru"
    assert _when(first["due"]) == START + 15 * MIN
    assert first["overdue"] is True  # 08:15 has passed at 08:20
    assert body["items"][1]["overdue"] is False

    page = _api(officers["operator"]).get("/aduan", limit=2, offset=1).json()
    assert page["count"] == 5
    assert [item["code"] for item in page["items"]] == [expected[1].code, expected[2].code]


def test_list_filters(polres: Unit, officers: dict[str, Officer]) -> None:
    gantung = polsek_named(polres, "Gantung")
    satreskrim = satuan_of(polres, "satreskrim")
    assert satreskrim is not None
    board = {
        "lantas": make_aduan(
            polres, category="lalu_lintas", desa="19.06.01.2003", received_at=START
        ),
        "curi": make_aduan(
            polres, category="pencurian", desa="19.06.02.2002", channel="sms", received_at=START
        ),
        "ribut": make_aduan(polres, category="ketertiban", desa="19.06.02.2001", received_at=START),
        "lama": make_aduan(polres, category="pencurian", received_at=START - 3 * DAY),
        "selesai": make_aduan(polres, category="informasi", status="selesai", received_at=START),
    }
    by_code = {a.code: name for name, a in board.items()}
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({}, {"lantas", "curi", "ribut", "lama"}),
        ({"status": "semua"}, set(board)),
        ({"status": "selesai"}, {"selesai"}),
        ({"category": "pencurian"}, {"curi", "lama"}),
        ({"unit": satreskrim.pk}, {"curi", "lama"}),
        ({"polsek": gantung.pk}, {"curi", "ribut"}),
        ({"desa": "19.06.02.2001"}, {"ribut"}),
        ({"channel": "sms"}, {"curi"}),
        ({"overdue": "true"}, {"lama"}),
        ({"category": "pencurian", "channel": "web"}, {"lama"}),
    ]
    api = _api(officers["operator"])
    for params, expected in cases:
        with time_machine.travel(START + HOUR, tick=False):
            body = api.get("/aduan", **params).json()
        assert {by_code[item["code"]] for item in body["items"]} == expected, params
        assert body["count"] == len(expected), params


def test_bad_list_parameters_are_a_json_422(officers: dict[str, Officer]) -> None:
    response = _api(officers["operator"]).get("/aduan", limit=0)
    assert response.status_code == 422
    assert response.json()["message"] == "Data tidak valid."


def test_detail_has_the_thread_and_history(polres: Unit, officers: dict[str, Officer]) -> None:
    operator = officers["operator"].user
    with time_machine.travel(START, tick=False):
        aduan = do_submit_aduan(
            polres,
            text="Motor saya hilang dicuri di parkiran pasar Manggar tadi malam",
            channel="web",
        )
    with time_machine.travel(START + 5 * MIN, tick=False):
        do_add_message(aduan, "Cek CCTV", public=False, acting_user=operator)
        do_add_message(aduan, "Kami tindak lanjuti.", public=True, acting_user=operator)

    response = _api(officers["operator"]).get(f"/aduan/{aduan.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == aduan.code
    assert body["category"] == "pencurian" and body["handling_unit"] == "Satreskrim"
    assert _when(body["first_responded_at"]) == START + 5 * MIN
    assert [(m["kind"], m["text"]) for m in body["messages"]] == [
        ("incoming", aduan.text),
        ("internal_note", "Cek CCTV"),
        ("public_reply", "Kami tindak lanjuti."),
    ]
    assert body["messages"][2]["author"] == "Operator"
    assert [(s["from_status"], s["to_status"]) for s in body["status_history"]] == [("", "baru")]
    assert body["reporter"]["anonymous"] is True

    missing = _api(officers["operator"]).get("/aduan/BLT-ZZZZZZ")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Aduan tidak ditemukan."}


# --- writing --------------------------------------------------------------------------------


def test_staff_intake(officers: dict[str, Officer]) -> None:
    with time_machine.travel(START, tick=False):
        response = _api(officers["operator"]).post(
            "/aduan",
            {
                "text": "Motor saya hilang dicuri di parkiran pasar Gantung tadi malam",
                "channel": "telepon",
                "reporter_name": "Pak Darto",
                "reporter_phone": "081277778888",
                "desa_code": "19.06.02.2002",
            },
        )
    assert response.status_code == 201
    body = response.json()
    aduan = Aduan.objects.get(code=body["code"])
    assert aduan.channel == body["channel"] == "telepon"
    assert aduan.created_by == officers["operator"].user
    assert aduan.desa_id == body["desa_code"] == "19.06.02.2002"
    assert body["polsek"] == "Polsek Gantung"
    assert body["reporter"]["name"] == "Pak Darto"
    assert _when(body["received_at"]) == START
    assert _when(body["first_response_due"]) == aduan.first_response_due


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"channel": "merpati"}, "Kanal tidak dikenal: merpati"),
        (
            {"channel": "instagram"},
            "Kanal 'instagram' tidak dapat dicatat lewat API "
            "(api, bhabinkamtibmas, datang_langsung, email, sms, telepon, whatsapp).",
        ),
        ({"desa_code": "19.02.01.1001"}, "Desa tidak dikenal di wilayah Polres ini."),
        ({"desa_code": "19.06.02"}, "Desa tidak dikenal di wilayah Polres ini."),  # a kecamatan
        ({"category": "santet"}, "kategori tidak dikenal: santet"),
        ({"text": "tolong"[:4]}, "Data tidak valid."),
    ],
    ids=["channel", "platform-channel", "foreign-desa", "kecamatan", "category", "short-text"],
)
def test_bad_intake_is_a_json_422_and_saves_nothing(
    officers: dict[str, Officer], body: dict[str, str], message: str
) -> None:
    payload = {"text": "Ada pencurian di pasar Gantung tadi malam", "channel": "telepon", **body}
    response = _api(officers["operator"]).post("/aduan", payload)
    assert response.status_code == 422
    assert response.json()["message"] == message
    assert not Aduan.objects.exists()


def test_intake_of_a_restricted_complaint_succeeds_without_showing_it(
    officers: dict[str, Officer],
) -> None:
    """The operator records a complaint about a member: it is stored and routed to Propam,
    and the answer says so; the operator does not get to read it back."""
    api = _api(officers["operator"])
    response = api.post(
        "/aduan",
        {
            "text": "Ada oknum polisi minta uang damai waktu razia di Manggar",
            "channel": "telepon",
            "category": "pelanggaran_anggota",
        },
    )
    aduan = Aduan.objects.get()
    assert aduan.handling_unit is not None and aduan.handling_unit.satuan == "propam"
    assert response.status_code == 202
    body = response.json()
    assert body["code"] == aduan.code
    assert "terbatas" in body["message"]
    assert aduan.text not in response.content.decode()
    assert api.get(f"/aduan/{aduan.code}").status_code == 404
    assert _api(officers["propam"]).get(f"/aduan/{aduan.code}").status_code == 200


def test_replies(polres: Unit, officers: dict[str, Officer]) -> None:
    aduan = make_aduan(polres, category="pencurian", received_at=START)
    api = _api(officers["satreskrim"])

    with time_machine.travel(START + 7 * MIN, tick=False):
        note = api.post(f"/aduan/{aduan.code}/replies", {"text": "Periksa CCTV", "internal": True})
    assert note.status_code == 201
    assert note.json()["first_responded_at"] is None

    with time_machine.travel(START + 9 * MIN, tick=False):
        reply = api.post(f"/aduan/{aduan.code.lower()}/replies", {"text": "Petugas ke lokasi."})
    assert reply.status_code == 201
    body = reply.json()
    assert _when(body["first_responded_at"]) == START + 9 * MIN
    assert [(m["kind"], m["author"]) for m in body["messages"][1:]] == [
        ("internal_note", "Satreskrim"),
        ("public_reply", "Satreskrim"),
    ]
    assert AuditEvent.objects.filter(aduan=aduan, actor=officers["satreskrim"].user).count() == 2

    empty = api.post(f"/aduan/{aduan.code}/replies", {"text": "   "})
    assert empty.status_code == 422
    assert empty.json()["message"]
    assert AduanMessage.objects.filter(aduan=aduan).count() == 3


def test_status_changes_and_forbidden_transition(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    aduan = make_aduan(polres, category="pencurian", received_at=START)
    api = _api(officers["operator"])

    forbidden = api.post(f"/aduan/{aduan.code}/status", {"status": "selesai"})
    assert forbidden.status_code == 409
    assert forbidden.json()["message"].startswith("Status tidak dapat diubah dari 'Baru'")

    no_reason = api.post(f"/aduan/{aduan.code}/status", {"status": "ditolak"})
    assert no_reason.status_code == 409
    assert no_reason.json() == {"message": "Alasan wajib diisi untuk perubahan status ini."}

    ok = api.post(f"/aduan/{aduan.code}/status", {"status": "ditangani"})
    assert ok.status_code == 200
    assert ok.json()["status"] == "ditangani"
    assert [s["to_status"] for s in ok.json()["status_history"]] == ["baru", "ditangani"]

    closed = api.post(
        f"/aduan/{aduan.code}/status", {"status": "dialihkan", "reason": "Ke Polres Belitung"}
    )
    assert closed.status_code == 200
    assert closed.json()["status_history"][-1]["reason"] == "Ke Polres Belitung"
    assert closed.json()["due"] is None and closed.json()["overdue"] is False
    aduan.refresh_from_db()
    assert aduan.status == "dialihkan"


def test_bearer_requests_need_no_csrf_token(polres: Unit, officers: dict[str, Officer]) -> None:
    aduan = make_aduan(polres, category="pencurian")
    client = Client(enforce_csrf_checks=True)
    token = do_create_api_token(officers["operator"].user)
    response = client.post(
        f"/api/v1/aduan/{aduan.code}/replies",
        {"text": "Balasan dari aplikasi piket"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_a_session_cookie_is_not_an_api_credential(officers: dict[str, Officer]) -> None:
    client = Client()
    client.force_login(officers["operator"].user)
    assert client.get("/api/v1/aduan").status_code == 401


def test_openapi_lists_the_paths(officers: dict[str, Officer]) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    assert set(paths["/api/v1/aduan"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/aduan/{code}"]
    assert "post" in paths["/api/v1/aduan/{code}/replies"]
    assert "post" in paths["/api/v1/aduan/{code}/status"]
    assert spec["components"]["securitySchemes"]


# --- the "done when" scenario -----------------------------------------------------------------


def test_darurat_web_report_leads_inbox_and_api_and_gets_its_reply(
    polres: Unit, officers: dict[str, Officer]
) -> None:
    operator = officers["operator"]
    with time_machine.travel(START - 2 * HOUR, tick=False):
        older = [
            do_submit_aduan(
                polres,
                text="Motor saya hilang dicuri di parkiran pasar Manggar tadi malam",
                channel="whatsapp",
            ),
            do_submit_aduan(
                polres,
                text="Mohon info cara perpanjang SIM di Polres Belitung Timur",
                channel="web",
            ),
        ]
    public = Client()
    with time_machine.travel(START, tick=False):
        sent = public.post(
            reverse("portal:lapor"),
            {"text": DARURAT_TEXT, "consent": "on", "anonymous": "on", "website": ""},
        )
        assert sent.status_code == 302
        thanks = public.get(sent["Location"])
    aduan = Aduan.objects.exclude(pk__in=[a.pk for a in older]).get()
    assert aduan.code in thanks.content.decode()

    # Routed to Polsek Gantung with a 15-minute first-response clock.
    assert aduan.priority == "darurat"
    assert aduan.polsek == polsek_named(polres, "Gantung")
    assert aduan.first_response_due == START + 15 * MIN

    console = Client()
    console.force_login(operator.user)
    with time_machine.travel(START + MIN, tick=False):
        inbox = console.get(reverse("console:inbox"))
        listed = _api(operator).get("/aduan").json()
    assert inbox.context["page"].object_list[0].code == aduan.code
    html = inbox.content.decode()
    assert html.index(aduan.code) < min(html.index(a.code) for a in older)
    first = listed["items"][0]
    assert first["code"] == aduan.code
    assert first["polsek"] == "Polsek Gantung"
    assert _when(first["first_response_due"]) == _when(first["due"]) == START + 15 * MIN
    assert listed["count"] == 3

    with time_machine.travel(START + 4 * MIN, tick=False):
        replied = _api(operator).post(
            f"/aduan/{aduan.code}/replies",
            {"text": "Personel Samapta dan Polsek Gantung meluncur."},
        )
    assert replied.status_code == 201
    tracking = public.get(reverse("portal:lacak_detail", args=[aduan.code]))
    assert tracking.status_code == 200
    assert "Personel Samapta dan Polsek Gantung meluncur." in tracking.content.decode()
    assert DARURAT_TEXT not in tracking.content.decode()
    aduan.refresh_from_db()
    assert aduan.first_responded_at == START + 4 * MIN
    assert not AduanMessage.objects.filter(aduan=aduan, kind=MessageKind.INTERNAL_NOTE).exists()
