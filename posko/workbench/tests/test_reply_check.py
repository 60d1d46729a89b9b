"""Reply checks: provocative or defensive wording flagged; greeting, tracking code and next
step named when missing; internal notes are not checked."""

from __future__ import annotations

from django.test import Client

from posko.aduan.tests.factories import make_aduan
from posko.org.models import Officer, Unit
from posko.workbench.reply_check import check_reply


def test_a_complete_polite_reply_passes(polres: Unit) -> None:
    aduan = make_aduan(polres)
    text = (
        f"Yth. Bapak/Ibu, terima kasih atas laporan {aduan.code}. Anggota Polsek sedang "
        "menuju lokasi dan akan mengabari hasilnya hari ini."
    )
    assert check_reply(text, aduan) == []


def test_missing_elements_are_named(polres: Unit) -> None:
    aduan = make_aduan(polres)
    kinds = {f.message for f in check_reply("Oke.", aduan)}
    assert any("salam" in m for m in kinds)
    assert any(aduan.code in m for m in kinds)
    assert any("langkah berikutnya" in m for m in kinds)


def test_provocative_and_defensive_wording_is_flagged(polres: Unit) -> None:
    aduan = make_aduan(polres)
    rude = check_reply(f"polisi goblok bangsat makan gaji buta {aduan.code}", aduan)
    assert any(f.kind == "tone" and "provokatif" in f.message for f in rude)
    defensive = check_reply(
        f"Yth. Bapak, laporan {aduan.code} bukan urusan kami, silakan ke dinas.", aduan
    )
    assert [f.kind for f in defensive] == ["tone"]


def test_console_checks_while_typing(polres: Unit, officers: dict[str, Officer]) -> None:
    aduan = make_aduan(polres)
    client = Client()
    client.force_login(officers["operator"].user)
    page = client.get(f"/posko/aduan/{aduan.code}/").content.decode()
    assert f'hx-post="/posko/aduan/{aduan.code}/cek-balasan/"' in page
    flagged = client.post(f"/posko/aduan/{aduan.code}/cek-balasan/", {"text": "Oke."})
    assert flagged.status_code == 200 and "Kode lacak" in flagged.content.decode()
    note = client.post(
        f"/posko/aduan/{aduan.code}/cek-balasan/", {"text": "Oke.", "internal": "on"}
    )
    assert "Kode lacak" not in note.content.decode()
    # Only for aduan the officer may see.
    other = Client()
    other.force_login(officers["other_operator"].user)
    assert other.post(f"/posko/aduan/{aduan.code}/cek-balasan/", {"text": "x"}).status_code == 404
