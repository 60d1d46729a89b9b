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


# Whatever citizens put between prefix and code: spaces, dashes of any kind, dots, underscores.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")


def normalize_code(raw: str) -> str:
    """The code as stored, however a citizen typed it: ``blt tzr6nh``, ``BLTTZR6NH``,
    ``blt–tzr6nh`` and `` BLT-TZR6NH `` all become ``BLT-TZR6NH``."""
    text = raw.strip().upper()
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) == 2 and parts[0].isalpha():
        return f"{parts[0]}-{parts[1]}"
    joined = "".join(parts)
    prefix, rest = joined[:-LENGTH], joined[-LENGTH:]
    if 2 <= len(prefix) <= 4 and prefix.isalpha():
        return f"{prefix}-{rest}"
    return joined


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))
