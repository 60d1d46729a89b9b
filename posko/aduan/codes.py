"""Tracking codes: ``<POLRES PREFIX>-<6 unambiguous characters>``, e.g. ``BLT-7K3Q9P``."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: easy to read aloud over the phone and to type from a screenshot.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
CODE_RE = re.compile(rf"^[A-Z]{{2,4}}-[{ALPHABET}]{{5,8}}$")


def new_tracking_code(prefix: str) -> str:
    return f"{prefix.upper()}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(raw: str) -> str:
    """Uppercase and drop spaces, as citizens type codes in every form."""
    return raw.strip().upper().replace(" ", "")


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))
