"""Photo uploads: checked by content (not by name), size-limited, re-encoded without metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def human_size(size: int) -> str:
    """``5 MB``, ``1,5 MB``, ``300 KB`` — for messages to citizens (``1.5 MB`` in English)."""
    mib, kib = 1024 * 1024, 1024
    if size >= mib:
        value = round(size / mib, 1)
        if value == int(value):
            return f"{value:.0f} MB"
        return f"{number_format(value, decimal_pos=1)} MB"
    return f"{max(1, size // kib)} KB"


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """Validate one uploaded photo and return it re-encoded with EXIF/GPS and other metadata
    removed. Raises ``ValidationError`` with a message for the citizen."""
    name = upload.name or _("foto")
    if upload.size is None or upload.size > settings.POSKO_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Foto %(name)s terlalu besar (maksimal %(limit)s)."),
            params={"name": name, "limit": human_size(settings.POSKO_PHOTO_MAX_BYTES)},
            code="photo_too_large",
        )
    return clean_photo_bytes(upload.read(), name)


def clean_photo_bytes(raw: bytes, name: str) -> CleanPhoto:
    """Re-encode a photo's bytes with EXIF/GPS and other metadata removed; the pixel count is
    checked from the header before anything is decoded. Shared by portal uploads and channel
    photos. Raises ``ValidationError``."""
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format or ""
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Berkas %(name)s bukan foto JPEG, PNG, atau WEBP."),
                    params={"name": name},
                    code="photo_type",
                )
            if probe.width * probe.height > settings.POSKO_PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("Foto %(name)s resolusinya terlalu besar."),
                    params={"name": name},
                    code="photo_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # Saving a fresh image without passing exif/icc/pnginfo drops all metadata.
            if fmt == "PNG":
                image.save(out, format=fmt)
            else:
                image.save(out, format=fmt, quality=88)
            width, height = image.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Berkas %(name)s bukan foto yang valid atau rusak."),
            params={"name": name},
            code="photo_invalid",
        ) from exc
    return CleanPhoto(out.getvalue(), ALLOWED_FORMATS[fmt], EXTENSIONS[fmt], width, height)


def clean_photos(uploads: list[UploadedFile]) -> list[CleanPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            _("Maksimal %(max)s foto per aduan."), params={"max": MAX_PHOTOS}, code="photo_count"
        )
    return [clean_photo(u) for u in uploads]
