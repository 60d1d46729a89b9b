"""Every platform limit a variant is checked against before it may be scheduled — the one
place for them (the composer's counters read the same numbers through ``counter_config``).

Sources: ``/work/shared/research/publishing-community-anchors.md`` §2.6 (Meta, X, Telegram docs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MIB = 1024 * 1024


@dataclass(frozen=True)
class PlatformLimits:
    label: str
    text_max: int  # text without media
    caption_max: int  # text with media
    max_photos: int
    photo_max_bytes: int
    photo_types: frozenset[str]
    aspect_min: float | None = None  # width / height
    aspect_max: float | None = None
    requires_photo: bool = False


LIMITS: dict[str, PlatformLimits] = {
    "facebook": PlatformLimits(
        "Facebook",
        text_max=63_206,
        caption_max=63_206,
        max_photos=10,
        photo_max_bytes=4 * MIB,
        photo_types=frozenset({"image/jpeg", "image/png"}),
    ),
    "instagram": PlatformLimits(
        "Instagram",
        text_max=2_200,
        caption_max=2_200,
        max_photos=10,
        photo_max_bytes=8 * MIB,
        photo_types=frozenset({"image/jpeg"}),
        aspect_min=4 / 5,
        aspect_max=1.91,
        requires_photo=True,
    ),
    "x": PlatformLimits(
        "X",
        text_max=280,
        caption_max=280,
        max_photos=4,
        photo_max_bytes=5 * MIB,
        photo_types=frozenset({"image/jpeg", "image/png", "image/webp"}),
    ),
    "telegram": PlatformLimits(
        "Telegram",
        text_max=4_096,
        caption_max=1_024,
        max_photos=10,
        photo_max_bytes=10 * MIB,
        photo_types=frozenset({"image/jpeg", "image/png", "image/webp"}),
    ),
    # WhatsApp: the text is the body variable of an approved template (≤ 1,024 characters);
    # no photos through the alert template.
    "whatsapp": PlatformLimits(
        "WhatsApp",
        text_max=1_024,
        caption_max=1_024,
        max_photos=0,
        photo_max_bytes=0,
        photo_types=frozenset(),
    ),
}

X_URL = re.compile(r"https?://\S+")
X_URL_LENGTH = 23  # t.co: every link counts as 23 characters


@dataclass(frozen=True)
class Photo:
    content_type: str
    size: int
    width: int
    height: int
    name: str = ""


def text_length(platform: str, text: str) -> int:
    """The length the platform counts (X counts every link as 23 characters)."""
    if platform == "x":
        return len(X_URL.sub("x" * X_URL_LENGTH, text))
    return len(text)


def _mb(size: int) -> str:
    return f"{size / MIB:.0f} MB" if size % MIB == 0 else f"{size / MIB:.1f} MB"


def _photo_errors(limits: PlatformLimits, photo: Photo) -> list[str]:
    errors: list[str] = []
    params = {"platform": limits.label, "name": photo.name or _("foto")}
    if photo.content_type not in limits.photo_types:
        kinds = ", ".join(sorted(t.split("/")[1].upper() for t in limits.photo_types))
        errors.append(
            _("%(platform)s: %(name)s harus berformat %(kinds)s.") % {**params, "kinds": kinds}
        )
    if photo.size > limits.photo_max_bytes:
        errors.append(
            _("%(platform)s: %(name)s terlalu besar (%(size)s, maksimal %(limit)s).")
            % {**params, "size": _mb(photo.size), "limit": _mb(limits.photo_max_bytes)}
        )
    if limits.aspect_min is not None and limits.aspect_max is not None and photo.height:
        ratio = photo.width / photo.height
        if not limits.aspect_min - 0.005 <= ratio <= limits.aspect_max + 0.005:
            errors.append(
                _(
                    "%(platform)s: perbandingan sisi %(name)s (%(width)s×%(height)s) harus "
                    "antara 4:5 (tegak) dan 1,91:1 (melebar)."
                )
                % {**params, "width": photo.width, "height": photo.height}
            )
    return errors


def validate_variant(platform: str, text: str, photos: list[Photo]) -> list[str]:
    """Indonesian error messages for a variant, [] when the platform will accept it."""
    limits = LIMITS.get(platform)
    if limits is None:
        return [_("Platform %(platform)s tidak didukung untuk publikasi.") % {"platform": platform}]
    errors: list[str] = []
    length = text_length(platform, text)
    if not text.strip():
        errors.append(_("%(platform)s: teks tidak boleh kosong.") % {"platform": limits.label})
    maximum = limits.caption_max if photos else limits.text_max
    if length > maximum:
        if photos and limits.caption_max < limits.text_max:
            message = _(
                "%(platform)s: keterangan foto paling banyak %(max)s karakter (sekarang "
                "%(length)s). Tanpa foto batasnya %(text_max)s."
            )
        else:
            message = _("%(platform)s: teks paling banyak %(max)s karakter (sekarang %(length)s).")
        errors.append(
            message
            % {
                "platform": limits.label,
                "max": maximum,
                "length": length,
                "text_max": limits.text_max,
            }
        )
    if limits.requires_photo and not photos:
        errors.append(_("%(platform)s: wajib ada minimal satu foto.") % {"platform": limits.label})
    if len(photos) > limits.max_photos:
        if limits.max_photos == 0:
            errors.append(
                _(
                    "%(platform)s: foto tidak dikirim lewat templat; hapus foto atau pilih "
                    "platform lain."
                )
                % {"platform": limits.label}
            )
        else:
            errors.append(
                _("%(platform)s: paling banyak %(max)s foto (sekarang %(count)s).")
                % {"platform": limits.label, "max": limits.max_photos, "count": len(photos)}
            )
    else:
        for photo in photos:
            errors.extend(_photo_errors(limits, photo))
    return errors


def counter_config() -> dict[str, Any]:
    """The limits the composer's character counters show (``data-limits`` JSON)."""
    return {
        platform: {"text": limits.text_max, "caption": limits.caption_max, "label": limits.label}
        for platform, limits in LIMITS.items()
    }
