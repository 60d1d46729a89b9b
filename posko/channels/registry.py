"""Platform → adapter module. Every adapter module provides ``parse``, ``send`` and
``fetch_media`` with the signatures of ``Adapter``."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    import httpx

    from posko.channels.base import MediaRef, Parsed
    from posko.channels.models import ChannelAccount, OutboundDelivery


class Adapter(Protocol):
    PLATFORM: str

    def parse(self, body: bytes) -> Parsed: ...

    def send(
        self, http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery
    ) -> str: ...

    def fetch_media(
        self, http: httpx.Client, account: ChannelAccount, ref: MediaRef
    ) -> tuple[bytes, str]: ...


MODULES = {
    "whatsapp": "posko.channels.whatsapp.adapter",
    "instagram": "posko.channels.meta.adapter",
    "facebook": "posko.channels.meta.adapter",
    "telegram": "posko.channels.telegram.adapter",
    "x": "posko.channels.x.adapter",
    "sms": "posko.channels.sms.adapter",
    "email": "posko.channels.email.adapter",
}


def adapter_for(platform: str) -> Adapter:
    return cast("Adapter", import_module(MODULES[platform]))
