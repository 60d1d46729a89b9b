"""Anonymising an aduan's text for training: names, phone numbers, vehicle plates, addresses,
e-mail addresses and ID numbers are replaced by placeholders, so a closed aduan can be
replayed to trainees without exposing the people in it."""

from __future__ import annotations

import re
from collections.abc import Iterable

PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)[\s.\-]?8\d{1,3}(?:[\s.\-]?\d{2,4}){2,4}(?!\w)")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Indonesian plates: region letters, 1-4 digits, up to 3 letters (BN 1234 XY, B1234ABC, KT 88 A).
PLATE = re.compile(r"\b[A-Z]{1,2}\s?\d{1,4}(?:\s?[A-Z]{1,3})?\b")
PLATE_CONTEXT = re.compile(r"\b(?:plat|nopol|no\.? ?pol|nomor polisi|pelat)\b", re.IGNORECASE)
STREET = re.compile(
    r"\b(?i:jl|jln|jalan|gg|gang|lorong|komplek|kompleks|perum|perumahan|blok)\b\.?\s+"
    r"[\w'.\-]+(?:\s+[A-Z0-9][\w'.\-]*){0,3}"
    r"(?:\s*,?\s*(?i:no|nomor)\.?\s*\d+[a-zA-Z]?)?"
)
RT_RW = re.compile(r"\bRT\.?\s*\d{1,3}\s*/?\s*(?:RW\.?\s*)?\d{0,3}\b", re.IGNORECASE)
HOUSE_NUMBER = re.compile(r"\b(?:no|nomor)\.?\s*\d+[a-zA-Z]?\b", re.IGNORECASE)
# A capitalised name after an Indonesian title or kinship term: "Pak Budi", "Bu Siti Aminah".
TITLED_NAME = re.compile(
    r"\b(?P<title>(?i:bapak|pak|bpk|ibu|bu|sdr|sdri|saudara|saudari|mas|mbak|kak|bang|"
    r"abang|adik|dik|om|tante|haji|hj|h|briptu|bripda|brigadir|bripka|aipda|aiptu|ipda|"
    r"iptu|akp|kompol)\.?)\s+"
    r"(?P<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2})"
)
SELF_NAME = re.compile(
    r"\b(?P<lead>(?i:nama saya|saya|dengan))\s+(?P<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2})"
)

NAME_MASK = "[NAMA]"
PHONE_MASK = "[TELEPON]"
PLATE_MASK = "[PLAT]"
ADDRESS_MASK = "[ALAMAT]"
EMAIL_MASK = "[EMAIL]"
NIK_MASK = "[NIK]"


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with personal data replaced by placeholders. ``names`` are known names
    (reporter, officers) masked wherever they appear, even without a title."""
    text = EMAIL.sub(EMAIL_MASK, text)
    text = NIK.sub(NIK_MASK, text)
    text = PHONE.sub(PHONE_MASK, text)
    text = STREET.sub(ADDRESS_MASK, text)
    text = RT_RW.sub(ADDRESS_MASK, text)
    text = HOUSE_NUMBER.sub(ADDRESS_MASK, text)
    text = _mask_plates(text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True
    ):
        for part in [name, *[p for p in name.split() if len(p) >= 4]]:
            text = re.sub(rf"\b{re.escape(part)}\b", NAME_MASK, text, flags=re.IGNORECASE)
    text = TITLED_NAME.sub(lambda m: f"{m['title']} {NAME_MASK}", text)
    text = SELF_NAME.sub(lambda m: f"{m['lead']} {NAME_MASK}", text)
    return re.sub(rf"{re.escape(NAME_MASK)}(?:\s+{re.escape(NAME_MASK)})+", NAME_MASK, text)


def _mask_plates(text: str) -> str:
    """Plates: any plate-shaped token after "plat/nopol", and plate shapes with both the
    region letters and a suffix (BN 1234 XY) anywhere."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        before = text[max(0, match.start() - 20) : match.start()]
        has_suffix = bool(re.search(r"\d\s?[A-Z]{1,3}$", token))
        if has_suffix or PLATE_CONTEXT.search(before):
            return PLATE_MASK
        return token

    return PLATE.sub(replace, text)
