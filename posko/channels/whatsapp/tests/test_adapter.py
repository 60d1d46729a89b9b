from __future__ import annotations

from decimal import Decimal

import pytest

from posko.channels.base import Incoming, MalformedEvent
from posko.channels.testing import fixture_bytes
from posko.channels.whatsapp import adapter

PHONE_ID = "106540352242922"


def one(name: str) -> Incoming:
    parsed = adapter.parse(fixture_bytes("whatsapp", name))
    assert len(parsed.messages) == 1, parsed.skipped
    message = parsed.messages[0]
    assert message.account_external_id == PHONE_ID
    return message


def test_text() -> None:
    m = one("message__text")
    assert (m.sender_id, m.sender_phone, m.sender_name) == (
        "6281234567890",
        "6281234567890",
        "Budi Santoso",
    )
    assert m.text.startswith("Motor saya dicuri") and m.kind == "direct"
    assert m.external_id.startswith("wamid.") and m.sent_at.year == 2025


@pytest.mark.parametrize(
    ("name", "media_type", "media_id"),
    [
        ("message__image", "image", "1003383421387256"),
        ("message__video", "video", "1003383421387257"),
        ("message__audio", "audio", "1003383421387258"),
        ("message__document", "document", "1003383421387259"),
    ],
)
def test_media(name: str, media_type: str, media_id: str) -> None:
    m = one(name)
    assert [(r.media_type, r.ref) for r in m.media] == [(media_type, media_id)]
    assert m.text == m.media[0].caption


def test_document_keeps_filename() -> None:
    assert one("message__document").media[0].filename == "bukti-transfer.pdf"


def test_location() -> None:
    m = one("message__location")
    assert (m.latitude, m.longitude) == (Decimal("-2.878100"), Decimal("108.288600"))
    assert "Pasar Manggar" in m.text


def test_contacts() -> None:
    assert one("message__contacts").text == "[Kontak] Pak RT Sahroni +62 812-7100-0006"


def test_interactive_and_button_replies() -> None:
    assert one("message__interactive_button_reply").text == "Buat laporan baru"
    assert one("message__interactive_button_reply").data["reply_to"].startswith("wamid.")
    assert one("message__interactive_list_reply").data["reply_id"] == "kategori_lalu_lintas"
    assert one("message__button").text == "Cek status laporan"


def test_bsuid_without_phone_number() -> None:
    m = one("message__bsuid_only")
    assert (m.sender_id, m.sender_phone, m.sender_name) == (
        "ID.1502576394655843",
        "",
        "Warga Manggar",
    )


@pytest.mark.parametrize("name", ["message__reaction", "message__unsupported"])
def test_skipped_types(name: str) -> None:
    parsed = adapter.parse(fixture_bytes("whatsapp", name))
    assert parsed.messages == [] and parsed.skipped


@pytest.mark.parametrize("state", ["sent", "delivered", "read", "failed"])
def test_statuses(state: str) -> None:
    parsed = adapter.parse(fixture_bytes("whatsapp", f"status__{state}"))
    assert [(s.state, s.account_external_id) for s in parsed.statuses] == [(state, PHONE_ID)]
    if state == "failed":
        assert "24 jam" in parsed.statuses[0].error and "131047" in parsed.statuses[0].error


@pytest.mark.parametrize("body", [b"", b"[]", b"{}", b'{"object":"page"}', b"\xff"])
def test_malformed(body: bytes) -> None:
    with pytest.raises(MalformedEvent):
        adapter.parse(body)
