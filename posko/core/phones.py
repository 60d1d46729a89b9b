"""Indonesian phone numbers as people type them, stored as E.164 (lokal-id)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from lokal import parse_phone


def normalize_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    parsed = parse_phone(value)
    if not parsed.valid:
        raise ValidationError(
            gettext("Nomor telepon tidak valid. Contoh yang benar: 0812 3456 7890."), code="phone"
        )
    return str(parsed.e164)
