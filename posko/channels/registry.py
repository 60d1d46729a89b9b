"""Platform → adapter module. Every adapter module provides ``parse``, ``send`` and
``fetch_media`` with the signatures of ``Adapter``; a platform whose public posts Posko can
answer also provides ``post_route(source_id, author)`` (how to reach the account behind a
post: delivery ``kind``, ``recipient``, ``reply_to``)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, cast

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


def post_route(platform: str, source_id: str, author: str) -> dict[str, Any] | None:
    """The delivery fields that reach the author of a public post, or None when the platform
    (or the post's source, e.g. RSS) cannot be answered through an official account."""
    if platform not in MODULES or not source_id:
        return None
    route = getattr(import_module(MODULES[platform]), "post_route", None)
    return cast("dict[str, Any] | None", route(source_id, author)) if route else None
