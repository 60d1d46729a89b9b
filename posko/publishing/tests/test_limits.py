"""Each variant is checked against its platform's limits before it may be scheduled, with
Indonesian messages; the limits live in one place (``posko.publishing.limits``)."""

from __future__ import annotations

from posko.publishing.limits import (
    LIMITS,
    MIB,
    Photo,
    counter_config,
    text_length,
    validate_variant,
)

JPEG_SQUARE = Photo("image/jpeg", 500_000, 1080, 1080)


def test_instagram_caption_format_size_and_aspect() -> None:
    assert validate_variant("instagram", "a" * 2200, [JPEG_SQUARE]) == []
    (error,) = validate_variant("instagram", "a" * 2201, [JPEG_SQUARE])
    assert "paling banyak 2200 karakter (sekarang 2201)" in error
    (error,) = validate_variant("instagram", "teks", [Photo("image/png", 1000, 1080, 1080)])
    assert "harus berformat JPEG" in error
    (error,) = validate_variant("instagram", "teks", [Photo("image/jpeg", 8 * MIB + 1, 1080, 1080)])
    assert "terlalu besar" in error and "maksimal 8 MB" in error
    (error,) = validate_variant("instagram", "teks", [Photo("image/jpeg", 1000, 1080, 1920)])
    assert "4:5" in error and "1,91:1" in error
    assert validate_variant("instagram", "teks", [Photo("image/jpeg", 1000, 1080, 1350)]) == []
    assert validate_variant("instagram", "teks", [Photo("image/jpeg", 1000, 1910, 1000)]) == []
    (error,) = validate_variant("instagram", "teks", [])
    assert "wajib ada minimal satu foto" in error


def test_x_280_characters_links_count_23_and_four_photos() -> None:
    assert validate_variant("x", "a" * 280, []) == []
    (error,) = validate_variant("x", "a" * 281, [])
    assert error == "X: teks paling banyak 280 karakter (sekarang 281)."
    link = "https://polres-beltim.example/" + "p" * 100
    assert text_length("x", f"lihat {link}") == len("lihat ") + 23
    (error,) = validate_variant("x", "teks", [JPEG_SQUARE] * 5)
    assert error == "X: paling banyak 4 foto (sekarang 5)."
    assert validate_variant("x", "teks", [JPEG_SQUARE] * 4) == []


def test_telegram_caption_is_1024_with_media_but_text_4096() -> None:
    assert validate_variant("telegram", "a" * 4096, []) == []
    (error,) = validate_variant("telegram", "a" * 4097, [])
    assert "4096" in error
    (error,) = validate_variant("telegram", "a" * 1025, [JPEG_SQUARE])
    assert "keterangan foto paling banyak 1024 karakter" in error
    assert "Tanpa foto batasnya 4096" in error


def test_facebook_photo_4_mb_and_whatsapp_takes_no_photo() -> None:
    assert validate_variant("facebook", "teks", [Photo("image/jpeg", 4 * MIB, 800, 600)]) == []
    (error,) = validate_variant("facebook", "teks", [Photo("image/jpeg", 4 * MIB + 1, 800, 600)])
    assert error.startswith("Facebook:") and "maksimal 4 MB" in error
    (error,) = validate_variant("whatsapp", "teks", [JPEG_SQUARE])
    assert "templat" in error
    assert validate_variant("whatsapp", "", []) == ["WhatsApp: teks tidak boleh kosong."]


def test_the_composer_counters_read_the_same_limits() -> None:
    config = counter_config()
    assert config["telegram"] == {"text": 4096, "caption": 1024, "label": "Telegram"}
    assert {p: c["text"] for p, c in config.items()} == {
        p: lim.text_max for p, lim in LIMITS.items()
    }
