"""Webhook authenticity checks. Always over the raw bytes as received, constant-time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable


def hmac_sha256_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_signature_valid(body: bytes, header: str | None, secrets: Iterable[str]) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``."""
    if not header or not header.startswith("sha256="):
        return False
    given = header[len("sha256=") :].strip().lower().encode()
    valid = False
    for secret in secrets:
        if secret:
            expected = hmac_sha256_hex(secret, body).encode()
            valid |= hmac.compare_digest(expected, given)
    return valid


def token_equal(given: str | None, expected: str) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def x_crc_response(consumer_secret: str, crc_token: str) -> str:
    """X Account Activity CRC: ``sha256=`` + base64(HMAC-SHA256(consumer secret, token))."""
    digest = hmac.new(consumer_secret.encode(), crc_token.encode(), hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def x_signature_valid(body: bytes, header: str | None, consumer_secret: str) -> bool:
    """``x-twitter-webhooks-signature``: same construction as the CRC, over the raw body."""
    if not header or not consumer_secret:
        return False
    digest = hmac.new(consumer_secret.encode(), body, hashlib.sha256).digest()
    expected = "sha256=" + base64.b64encode(digest).decode()
    return hmac.compare_digest(header.strip().encode(), expected.encode())
