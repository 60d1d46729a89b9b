"""The per-report secret key with which a reporter adds information to their own report.

A random key (128 bits) is shown once after submission; only its SHA-256 is stored (a key of
that strength needs no slow hash) and a presented key is compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from posko.aduan.models import Aduan

KEY_BYTES = 16


def new_reporter_key() -> tuple[str, str]:
    """A fresh key and the hash to store."""
    key = secrets.token_urlsafe(KEY_BYTES)
    return key, hash_reporter_key(key)


def hash_reporter_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def reporter_key_matches(aduan: Aduan, key: str) -> bool:
    """Whether ``key`` is this aduan's key (constant-time; False when it has none)."""
    if not aduan.reporter_key_hash or not key or len(key) > 64:
        return False
    return hmac.compare_digest(aduan.reporter_key_hash, hash_reporter_key(key))
