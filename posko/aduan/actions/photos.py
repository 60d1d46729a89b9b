"""Photos of an aduan: stored with the aduan's row locked, and the one rule of what a photo
says about urgency (a photo of a dangerous situation shows it is real and happening now)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction

from posko.aduan.actions.common import lift_priority, record_audit
from posko.aduan.models import Aduan, AduanPhoto
from posko.aduan.models.choices import OPEN_STATUSES, PRIORITY_RANK, Category, Priority
from posko.aduan.photos import CleanPhoto

# Such an aduan is at least *tinggi*. Danger = one of these categories, or one of these words
# in the text.
PHOTO_DANGER_CATEGORIES = frozenset(
    {Category.KECELAKAAN, Category.KEKERASAN, Category.DARURAT_BENCANA}
)
DANGER_WORDS = (
    "bahaya",
    "membahayakan",
    "ambruk",
    "roboh",
    "runtuh",
    "terbakar",
    "kebakaran",
    "longsor",
    "banjir",
    "senjata",
    "sajam",
    "luka",
    "korban",
    "berdarah",
    "tawuran",
)


def store_photos(aduan: Aduan, photos: Sequence[CleanPhoto], *, start: int = 0) -> None:
    """Within the aduan's transaction: save already cleaned photos, numbered after ``start``."""
    for index, photo in enumerate(photos, start=start + 1):
        AduanPhoto.objects.create(
            aduan=aduan,
            image=ContentFile(photo.data, name=f"{aduan.code}-{index}.{photo.extension}"),
            content_type=photo.content_type,
            size=len(photo.data),
            width=photo.width,
            height=photo.height,
        )


def raise_priority_for_photos(aduan: Aduan, photos: int) -> bool:
    """Within the aduan's transaction: lift an open aduan whose photos show danger to
    *tinggi* (never lowers; SLA due times follow). True when it changed."""
    text = aduan.text.lower()
    danger = aduan.category in PHOTO_DANGER_CATEGORIES or any(w in text for w in DANGER_WORDS)
    target = Priority.TINGGI
    if (
        not photos
        or not danger
        or aduan.status not in OPEN_STATUSES
        or PRIORITY_RANK[aduan.priority] <= PRIORITY_RANK[target]
    ):
        return False
    # Announced like an incident's growth (PRIORITY_RAISED): the metrics and the live inbox
    # follow the new deadlines.
    lift_priority(aduan, target, aduan.polres, actor=None, reason="foto", photos=photos)
    return True


def do_attach_late_photos(
    aduan_id: int, photos: Sequence[CleanPhoto], *, max_photos: int, message_id: int
) -> int:
    """Photos that arrived after their aduan (a channel's download retried in the
    background): stored up to ``max_photos`` in all, audited, and the priority raised when
    they show danger. A system action: the channel message is the actor's trace. Returns how
    many were added."""
    with transaction.atomic():
        aduan = Aduan.objects.select_for_update().select_related("polres").get(pk=aduan_id)
        start = aduan.photos.count()
        room = max(0, max_photos - start)
        added = min(room, len(photos))
        if added:
            store_photos(aduan, photos[:added], start=start)
            record_audit(
                aduan, "channel_photos_added", actor=None, message=message_id, photos=added
            )
            raise_priority_for_photos(aduan, added)
    return added
