"""Anonymising aduan text on Indonesian examples."""

from __future__ import annotations

import pytest

from posko.training.masking import mask_text


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        (
            "Tolong hubungi saya di 0812-3456-7890 atau +62 813 1122 3344",
            ["0812", "3456", "7890", "813 1122"],
            ["[TELEPON]", "Tolong hubungi"],
        ),
        ("WA 081234567890 ya pak", ["081234567890"], ["[TELEPON]"]),
        (
            "Motor saya hilang, plat BN 1234 XY, dan mobil B1234ABC juga",
            ["BN 1234 XY", "B1234ABC"],
            ["[PLAT]", "Motor saya hilang"],
        ),
        ("nopol KT 88 tidak terbaca", ["KT 88"], ["[PLAT]"]),
        (
            "Rumah saya di Jl. Sudirman No. 12 RT 03/RW 05 Manggar kemalingan",
            ["Sudirman", "No. 12", "RT 03"],
            ["[ALAMAT]", "kemalingan"],
        ),
        ("di Gang Mawar 3 ada judi", ["Mawar"], ["[ALAMAT]", "ada judi"]),
        (
            "Pak Budi Santoso tetangga saya dipukul oleh Bu Siti",
            ["Budi", "Santoso", "Siti"],
            ["Pak [NAMA]", "Bu [NAMA]", "tetangga"],
        ),
        ("Nama saya Andi Wijaya, warga Gantung", ["Andi", "Wijaya"], ["[NAMA]", "Gantung"]),
        ("email saya rahmat.h@gmail.com", ["rahmat.h@gmail.com"], ["[EMAIL]"]),
        ("NIK 1906021234567890 hilang", ["1906021234567890"], ["[NIK]"]),
    ],
)
def test_mask_indonesian_examples(text: str, gone: list[str], kept: list[str]) -> None:
    masked = mask_text(text)
    for piece in gone:
        assert piece not in masked, masked
    for piece in kept:
        assert piece in masked, masked


def test_known_names_are_masked_without_a_title() -> None:
    masked = mask_text(
        "Rahmawati melapor bahwa rahmawati sudah menunggu Briptu Joko",
        names=["Siti Rahmawati", "Joko Susilo"],
    )
    assert "ahmawati" not in masked.lower()
    assert "Joko" not in masked
    assert "melapor bahwa" in masked


def test_ordinary_words_and_places_stay() -> None:
    text = "Jalan rusak parah di depan pasar Manggar sejak tiga hari lalu, KM 5 arah Gantung"
    masked = mask_text(text)
    assert "pasar Manggar" in masked and "KM 5" in masked and "Gantung" in masked
