from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from posko.api.models import ApiToken, hash_token


@transaction.atomic
def do_create_api_token(user: User, *, label: str = "") -> str:
    """Create a token for ``user`` and return the raw value (shown once, never stored)."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), label=label)
    return raw
