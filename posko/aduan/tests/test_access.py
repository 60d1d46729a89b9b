"""Role × view permission matrix.

Eight aduan are set up once per test; for every role the tables below say which of them the
officer sees, and the same answer must come out of every read path: ``visible_aduan``, the
console inbox and detail pages, and the JSON API. Restricted categories follow the taxonomy:
"visible only to the handling unit, the Kapolres/Wakapolres and auditors, never to the unit
or officer the report is about".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from posko.aduan.access import visible_aduan
from posko.aduan.inbox import InboxFilters, inbox_queryset
from posko.aduan.models import (
    Aduan,
    AduanMessage,
    AuditEvent,
    MessageKind,
    Notification,
    Status,
)
from posko.aduan.models.choices import OPEN_STATUSES
from posko.aduan.tests.factories import make_aduan, polsek_named
from posko.api.actions import do_create_api_token
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Unit

MANGGAR_PADANG = "19.06.01.2003"
GANTUNG_GANTUNG = "19.06.02.2001"  # the desa of the fixture's Bhabinkamtibmas
GANTUNG_SELINGSING = "19.06.02.2002"

ALL_CASES = (
    "lantas",
    "reskrim_gantung",
    "ketertiban_desa",
    "propam_case",
    "restricted_about_handler",
    "about_kapolres",
    "kdrt",
    "other_polres",
)
PUBLIC_BLT = {"lantas", "reskrim_gantung", "ketertiban_desa"}

# role → the aduan it may see.
VISIBLE: dict[str, set[str]] = {
    # Polres-wide, but restricted aduan only when their own unit handles them.
    "admin": PUBLIC_BLT,
    "operator": PUBLIC_BLT,
    # Kapolres reads restricted aduan, except the one about himself.
    "kapolres": PUBLIC_BLT | {"propam_case", "restricted_about_handler", "kdrt"},
    "auditor": PUBLIC_BLT | {"propam_case", "restricted_about_handler", "about_kapolres", "kdrt"},
    # Propam handles every complaint about members, and nothing else here.
    "propam": {"propam_case", "restricted_about_handler", "about_kapolres"},
    # Satlantas handles its traffic case; the complaint about Satlantas stays hidden even
    # though it is (wrongly) handled by and assigned to Satlantas.
    "satlantas": {"lantas"},
    "satreskrim": {"reskrim_gantung"},
    "samapta": {"ketertiban_desa"},
    "ppa": {"kdrt"},
    # The Polsek sees its kecamatan's aduan but not the KDRT case handled by PPA.
    "polsek_gantung": {"reskrim_gantung", "ketertiban_desa"},
    # The Bhabinkamtibmas sees his desa's aduan, not the restricted KDRT case in it.
    "bhabin_gantung": {"ketertiban_desa"},
    "other_operator": {"other_polres"},
}
ROLES = sorted(VISIBLE)
READ_ONLY = {"auditor"}


@pytest.fixture
def cases(polres: Unit, other_polres: Unit, officers: dict[str, Officer]) -> dict[str, Aduan]:
    def sat(code: str, unit: Unit = polres) -> Unit:
        found = satuan_of(unit, code)
        assert found is not None
        return found

    satlantas = sat("satlantas")
    built = {
        "lantas": make_aduan(
            polres, text="Lampu lalu lintas mati", category="lalu_lintas", desa=MANGGAR_PADANG
        ),
        "reskrim_gantung": make_aduan(
            polres,
            text="Motor dicuri di Selingsing",
            category="pencurian",
            priority="tinggi",
            desa=GANTUNG_SELINGSING,
        ),
        "ketertiban_desa": make_aduan(
            polres, text="Pemuda mabuk ribut", category="ketertiban", desa=GANTUNG_GANTUNG
        ),
        "propam_case": make_aduan(
            polres,
            text="Oknum Satlantas minta uang damai",
            category="pelanggaran_anggota",
            priority="tinggi",
            desa=MANGGAR_PADANG,
            subject_unit=satlantas,
        ),
        "restricted_about_handler": make_aduan(
            polres,
            text="Anggota lantas kasar saat razia",
            category="pelanggaran_anggota",
            priority="tinggi",
            handling_unit=satlantas,
            assigned_officer=officers["satlantas"],
            subject_unit=satlantas,
            subject_officer=officers["satlantas"],
        ),
        "about_kapolres": make_aduan(
            polres,
            text="Pengaduan tentang pimpinan",
            category="pelanggaran_anggota",
            priority="tinggi",
            subject_officer=officers["kapolres"],
        ),
        "kdrt": make_aduan(
            polres,
            text="Tetangga memukul istrinya",
            category="asusila_kdrt",
            priority="tinggi",
            desa=GANTUNG_GANTUNG,
        ),
        "other_polres": make_aduan(other_polres, text="Pencurian di Tanjungpandan"),
    }
    # The routing the matrix relies on.
    assert built["propam_case"].handling_unit == sat("propam")
    assert built["kdrt"].handling_unit == sat("ppa")
    assert built["kdrt"].polsek == polsek_named(polres, "Gantung")
    assert built["reskrim_gantung"].polsek == polsek_named(polres, "Gantung")
    assert built["ketertiban_desa"].handling_unit == sat("samapta")
    assert built["other_polres"].polres == other_polres
    return built


def _names(cases: dict[str, Aduan], codes: Any) -> set[str]:
    by_code = {a.code: name for name, a in cases.items()}
    return {by_code[c] for c in codes}


def _console(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def _api(officer: Officer) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {do_create_api_token(officer.user)}"}


@pytest.mark.parametrize("role", ROLES)
def test_visible_aduan(role: str, officers: dict[str, Officer], cases: dict[str, Aduan]) -> None:
    user = officers[role].user
    assert _names(cases, visible_aduan(user).values_list("code", flat=True)) == VISIBLE[role]
    inbox = inbox_queryset(user, InboxFilters())
    assert _names(cases, [a.code for a in inbox]) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_console_inbox(role: str, officers: dict[str, Officer], cases: dict[str, Aduan]) -> None:
    response = _console(officers[role]).get(reverse("console:inbox"))
    assert response.status_code == 200
    listed = [a.code for a in response.context["page"].object_list]
    assert _names(cases, listed) == VISIBLE[role]
    html = response.content.decode()
    for name, aduan in cases.items():
        assert (aduan.code in html) == (name in VISIBLE[role]), name
        assert (aduan.text in html) == (name in VISIBLE[role]), name
    assert response.context["counts"]["open"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_api_list(role: str, officers: dict[str, Officer], cases: dict[str, Aduan]) -> None:
    client, headers = _api(officers[role])
    response = client.get("/api/v1/aduan?status=semua", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert _names(cases, [item["code"] for item in body["items"]]) == VISIBLE[role]
    assert body["count"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_detail_pages(role: str, officers: dict[str, Officer], cases: dict[str, Aduan]) -> None:
    console = _console(officers[role])
    api, headers = _api(officers[role])
    for name, aduan in cases.items():
        visible = name in VISIBLE[role]
        page = console.get(reverse("console:aduan_detail", args=[aduan.code]))
        assert page.status_code == (200 if visible else 404), name
        assert (aduan.text in page.content.decode()) == visible, name
        # Codes are case-insensitive; the API answers the same way.
        data = api.get(f"/api/v1/aduan/{aduan.code.lower()}", headers=headers)
        assert data.status_code == (200 if visible else 404), name
        if visible:
            assert data.json()["code"] == aduan.code
        else:
            assert data.json() == {"message": "Aduan tidak ditemukan."}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change(role: str, officers: dict[str, Officer], cases: dict[str, Aduan]) -> None:
    """Every visible aduan can be changed (except by the read-only auditor); an invisible one
    answers 404, exactly as if it did not exist."""
    console = _console(officers[role])
    api, headers = _api(officers[role])
    for name, aduan in cases.items():
        visible = name in VISIBLE[role]
        expected_console = 404 if not visible else 403 if role in READ_ONLY else 302
        expected_api = 404 if not visible else 403 if role in READ_ONLY else 201
        if expected_api == 201 and aduan.is_restricted and role != "kapolres":
            # A public reply on a restricted aduan waits for a pimpinan's approval
            # (aduan.actions.approvals): the API refuses to send it directly.
            expected_api = 422
        before = AduanMessage.objects.filter(aduan=aduan).count()

        note = console.post(
            reverse("console:reply", args=[aduan.code]),
            {"text": f"catatan {role}", "internal": "on"},
        )
        assert note.status_code == expected_console, name
        reply = api.post(
            f"/api/v1/aduan/{aduan.code}/replies",
            {"text": f"balasan {role}"},
            content_type="application/json",
            headers=headers,
        )
        assert reply.status_code == expected_api, name
        assert "message" in reply.json() or reply.status_code == 201

        added = AduanMessage.objects.filter(aduan=aduan).count() - before
        assert added == (2 if expected_api == 201 else 1 if expected_api == 422 else 0), name


def test_auditor_reads_everything_but_changes_nothing(
    officers: dict[str, Officer], cases: dict[str, Aduan]
) -> None:
    auditor = officers["auditor"]
    console = _console(auditor)
    api, headers = _api(auditor)
    aduan = cases["lantas"]
    audit_before = AuditEvent.objects.count()

    posts = {
        "console:reply": {"text": "balasan auditor"},
        "console:change_status": {"status": Status.DITANGANI},
        "console:assign": {"unit": aduan.handling_unit_id},
        "console:correct_labels": {
            "category": "kecelakaan",
            "priority": "darurat",
            "tone": "netral",
        },
    }
    for url_name, data in posts.items():
        response = console.post(reverse(url_name, args=[aduan.code]), data)
        assert response.status_code == 403, url_name
    assert console.get(reverse("console:intake")).status_code == 403
    assert console.post(reverse("console:intake"), {"channel": "telepon"}).status_code == 403

    status = api.post(
        f"/api/v1/aduan/{aduan.code}/status",
        {"status": "ditangani"},
        content_type="application/json",
        headers=headers,
    )
    assert status.status_code == 403
    assert status.json()["message"]
    created = api.post(
        "/api/v1/aduan",
        {"text": "Laporan yang dicatat auditor", "channel": "telepon"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 403
    assert created.json()["message"]

    aduan.refresh_from_db()
    assert (aduan.status, aduan.category, aduan.priority) == ("baru", "lalu_lintas", "sedang")
    assert Aduan.objects.count() == len(cases)
    assert not AduanMessage.objects.exclude(kind=MessageKind.INCOMING).exists()
    assert AuditEvent.objects.count() == audit_before


def test_viewing_a_restricted_aduan_is_audited(
    officers: dict[str, Officer], cases: dict[str, Aduan]
) -> None:
    kapolres = officers["kapolres"]
    restricted, kdrt, ordinary = cases["propam_case"], cases["kdrt"], cases["lantas"]
    console = _console(kapolres)
    api, headers = _api(kapolres)

    # Lists show the content too (preview, API text and reporter): each restricted row shown
    # is a recorded view, saying through what.
    console.get(reverse("console:inbox"))
    api.get("/api/v1/aduan", headers=headers)
    listed = AuditEvent.objects.filter(action="viewed")
    visible = visible_aduan(kapolres.user).filter(status__in=OPEN_STATUSES)
    shown = {a.pk for a in visible if a.is_restricted}
    assert {restricted.pk, kdrt.pk} <= shown
    assert sorted(listed.values_list("aduan_id", "data__via")) == sorted(
        [(pk, via) for pk in shown for via in ("inbox", "api")]
    )
    listed.delete()

    console.get(reverse("console:aduan_detail", args=[restricted.code]))
    api.get(f"/api/v1/aduan/{kdrt.code}", headers=headers)
    console.get(reverse("console:aduan_detail", args=[ordinary.code]))

    viewed = list(AuditEvent.objects.filter(action="viewed").values_list("aduan_id", "actor_id"))
    assert sorted(viewed) == sorted(
        [(restricted.pk, kapolres.user.pk), (kdrt.pk, kapolres.user.pk)]
    )

    # A refused look leaves no "viewed" row (nothing was shown).
    _console(officers["operator"]).get(reverse("console:aduan_detail", args=[restricted.code]))
    assert AuditEvent.objects.filter(action="viewed").count() == 2


def test_anonymous_and_non_officer_users_see_nothing(
    cases: dict[str, Aduan], django_user_model: Any
) -> None:
    plain = django_user_model.objects.create_user("warga", password="x-sandi-panjang-1")
    assert not visible_aduan(plain).exists()

    anonymous = Client().get(reverse("console:inbox"))
    assert anonymous.status_code == 302
    assert reverse("console:login") in anonymous["Location"]

    client = Client()
    client.force_login(plain)
    assert client.get(reverse("console:inbox")).status_code == 403
    assert (
        client.get(reverse("console:aduan_detail", args=[cases["lantas"].code])).status_code == 403
    )


def test_restricted_aduan_cannot_be_handed_to_the_people_it_is_about(
    officers: dict[str, Officer], cases: dict[str, Aduan]
) -> None:
    """Assigning it there would notify them of a complaint they may never see."""
    aduan = cases["propam_case"]  # about Satlantas, handled by Propam
    aduan.subject_officer = officers["satreskrim"]
    aduan.save(update_fields=["subject_officer"])
    kapolres = _console(officers["kapolres"])
    url = reverse("console:assign", args=[aduan.code])
    refused = [
        {"unit": officers["satlantas"].unit.pk},
        {"unit": officers["satlantas"].unit.pk, "officer": officers["satlantas"].pk},
        {"unit": officers["satreskrim"].unit.pk, "officer": officers["satreskrim"].pk},
    ]
    for data in refused:
        response = kapolres.post(url, data)
        assert response.status_code == 400, data
        assert "tidak dapat ditugaskan kepada satuan atau anggota yang diadukan" in (
            response.content.decode()
        )
    aduan.refresh_from_db()
    assert aduan.handling_unit == officers["propam"].unit and aduan.assigned_officer is None
    assert not Notification.objects.exists()

    # Another officer of Propam is fine.
    ok = kapolres.post(url, {"unit": officers["propam"].unit.pk, "officer": officers["propam"].pk})
    assert ok.status_code == 302
    # And an ordinary aduan is not affected by the rule.
    lantas = cases["lantas"]
    lantas.subject_unit = officers["satlantas"].unit
    lantas.save(update_fields=["subject_unit"])
    assert (
        kapolres.post(
            reverse("console:assign", args=[lantas.code]),
            {"unit": officers["satlantas"].unit.pk, "officer": officers["satlantas"].pk},
        ).status_code
        == 302
    )


@pytest.mark.parametrize("elsewhere_desa", [GANTUNG_SELINGSING, None])
def test_a_bhabinkamtibmas_sees_aduan_assigned_to_him_outside_his_desa(
    polres: Unit, officers: dict[str, Officer], cases: dict[str, Aduan], elsewhere_desa: str | None
) -> None:
    """Without such aduan his scope is his desa alone (one index range, no ``OR``); once one
    is assigned to him elsewhere (or without a desa) it is in his inbox, counts and detail."""
    bhabin = officers["bhabin_gantung"]
    mine = f'"assigned_officer_id" = {bhabin.pk}'
    # Once in the restricted rule ("…or assigned to him"), not in the scope.
    assert str(visible_aduan(bhabin.user).query).count(mine) == 1
    assert {a.code for a in visible_aduan(bhabin.user)} == {cases["ketertiban_desa"].code}
    elsewhere = make_aduan(
        polres, category="ketertiban", desa=elsewhere_desa, assigned_officer=bhabin
    )
    assert str(visible_aduan(bhabin.user).query).count(mine) == 2
    visible = {a.code for a in visible_aduan(bhabin.user)}
    assert visible == {cases["ketertiban_desa"].code, elsewhere.code}
    listed = {a.code for a in inbox_queryset(bhabin.user, InboxFilters(status="semua"))}
    assert listed == visible
