"""Media of channel messages: downloaded through the adapter's safe ``fetch_media``, photos
re-encoded without metadata (``posko.channels.media.clean_channel_photo``, the portal's
function) before anything is stored, and downloads that failed fetched again in the
background (``fetch_message_media`` task) — the aduan already exists with its text, and the
photos join it when they arrive."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from posko.aduan.actions.photos import do_attach_late_photos
from posko.aduan.photos import CleanPhoto
from posko.channels.base import MediaRef, SendError
from posko.channels.http import client
from posko.channels.media import clean_channel_photo
from posko.channels.models import ChannelAccount, ChannelMedia, ChannelMessage
from posko.channels.registry import Adapter, adapter_for
from posko.core.outbox import enqueue_with_transaction

log = logging.getLogger(__name__)

MAX_CHANNEL_PHOTOS = 10
MEDIA_RETRY_ATTEMPTS = 6


@dataclass
class StoredMedia:
    photos: list[CleanPhoto] = field(default_factory=list)  # every usable photo, in order
    new_photos: list[CleanPhoto] = field(default_factory=list)  # downloaded in this run
    missing: int = 0  # downloads that failed and may work later
    notes: list[str] = field(default_factory=list)


def refs_to_data(refs: list[MediaRef]) -> list[dict[str, Any]]:
    return [asdict(ref) for ref in refs]


def refs_of(message: ChannelMessage) -> list[MediaRef]:
    refs = []
    for raw in message.data.get("media") or []:
        if isinstance(raw, dict) and isinstance(raw.get("ref"), str):
            refs.append(
                MediaRef(
                    media_type=str(raw.get("media_type") or "document"),
                    ref=raw["ref"],
                    mime_type=str(raw.get("mime_type") or ""),
                    caption=str(raw.get("caption") or ""),
                    filename=str(raw.get("filename") or ""),
                )
            )
    return refs


def store_message_media(
    account: ChannelAccount, message: ChannelMessage, refs: list[MediaRef]
) -> StoredMedia:
    """Download and store every media of the message not stored yet. A failed download is
    noted (and counted in ``missing`` when worth retrying); it never stops the message."""
    result = StoredMedia()
    if not refs:
        return result
    stored = {m.position: m for m in message.media.all()}
    adapter = adapter_for(account.platform)
    with client() as http:
        for index, ref in enumerate(refs):
            photo: CleanPhoto | None = None
            existing = stored.get(index)
            if existing is not None:
                if existing.media_type == "image":
                    with existing.file.open("rb") as handle:
                        photo = clean_channel_photo(handle.read())
            else:
                try:
                    photo = _download(http, adapter, account, message, index, ref)
                except SendError as exc:
                    result.notes.append(f"media {index + 1}: {exc.reason}")
                    result.missing += 1 if exc.retryable else 0
                    continue
                except OSError as exc:  # storage trouble: try again later
                    result.notes.append(f"media {index + 1}: {exc.__class__.__name__}")
                    result.missing += 1
                    continue
                if photo is not None:
                    result.new_photos.append(photo)
            if photo is not None:
                result.photos.append(photo)
    if result.notes:
        log.info("channel message %s media: %s", message.pk, "; ".join(result.notes))
    return result


def _download(
    http: Any,
    adapter: Adapter,
    account: ChannelAccount,
    message: ChannelMessage,
    index: int,
    ref: MediaRef,
) -> CleanPhoto | None:
    """Fetch one media; an image is stored only re-encoded (EXIF/GPS removed)."""
    data, content_type = adapter.fetch_media(http, account, ref)
    photo = None
    if ref.media_type == "image":
        photo = clean_channel_photo(data)
        if photo is None:
            raise SendError("bukan foto yang dapat dipakai", retryable=False)
        data, content_type, extension = photo.data, photo.content_type, photo.extension
    else:
        extension = (content_type.split("/")[-1].split(";")[0] or "bin")[:8]
    ChannelMedia.objects.create(
        message=message,
        media_type=ref.media_type,
        position=index,
        file=ContentFile(data, name=f"{account.platform}-{message.pk}-{index}.{extension}"),
        content_type=content_type[:100],
        size=len(data),
        caption=ref.caption,
    )
    return photo


def stored_photos(message: ChannelMessage) -> list[CleanPhoto]:
    """The message's photos already stored (a moderated comment turned into an aduan)."""
    photos = []
    for media in message.media.filter(media_type="image").order_by("position", "pk"):
        with media.file.open("rb") as handle:
            photo = clean_channel_photo(handle.read())
        if photo is not None:
            photos.append(photo)
    return photos[:MAX_CHANNEL_PHOTOS]


def schedule_media_retry(message_id: int, attempt: int = 1) -> None:
    """With the transaction: fetch the message's missing media again later (backoff 1, 2,
    4 … minutes)."""
    from posko.channels.tasks import fetch_message_media

    run_after = timezone.now() + timedelta(minutes=2 ** (attempt - 1))
    enqueue_with_transaction(
        lambda: fetch_message_media.using(run_after=run_after).enqueue(message_id, attempt)
    )


def do_fetch_message_media(message_id: int, attempt: int) -> str:
    """Background retry of a message's failed downloads; new photos join its aduan."""
    message = (
        ChannelMessage.objects.select_related("account", "aduan").filter(pk=message_id).first()
    )
    if message is None:
        return "missing"
    result = store_message_media(message.account, message, refs_of(message))
    added = 0
    if message.aduan is not None and result.new_photos:
        added = do_attach_late_photos(
            message.aduan.pk,
            result.new_photos,
            max_photos=MAX_CHANNEL_PHOTOS,
            message_id=message.pk,
        )
    if result.missing:
        if attempt >= MEDIA_RETRY_ATTEMPTS:
            return f"gagal: {'; '.join(result.notes)}"
        with transaction.atomic():
            schedule_media_retry(message.pk, attempt + 1)
        return f"{added} foto ditambahkan, {result.missing} dicoba lagi"
    return f"{added} foto ditambahkan"
