"""Encryption at rest for channel credentials (Fernet).

The key is ``POSKO_CHANNEL_KEY`` (a Fernet key, or any passphrase) when set, else derived from
``SECRET_KEY``. Changing the key makes stored credentials unreadable: re-enter them with
``posko channels set-credentials``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored credentials were encrypted with another key."""


@lru_cache(maxsize=4)
def _fernet(material: str) -> Fernet:
    digest = hashlib.sha256(b"posko-channel-credentials:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _current() -> Fernet:
    return _fernet(settings.POSKO_CHANNEL_KEY or settings.SECRET_KEY)


def encrypt_json(data: dict[str, Any]) -> str:
    return _current().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        value = json.loads(_current().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialsUnreadable from exc
    return value if isinstance(value, dict) else {}
