"""The reporter adds information or photos to their own report through its secret link."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from posko.aduan.actions.common import lock_aduan, record_audit, touch
from posko.aduan.actions.photos import store_photos
from posko.aduan.events import EventKind, emit
from posko.aduan.models import Aduan, AduanMessage, MessageKind
from posko.aduan.photos import MAX_PHOTOS, CleanPhoto
from posko.aduan.reporter_key import reporter_key_matches
from posko.org.permissions import NotPermitted


class ReporterKeyRefused(NotPermitted):
    """The key is not this report's (or the report takes no more information)."""


def do_add_reporter_information(
    aduan: Aduan,
    *,
    key: str,
    text: str,
    photos: Sequence[CleanPhoto] = (),
) -> AduanMessage:
    """Add the reporter's text and photos to the thread, checked against the report's secret
    key (constant time); audited, and the handling unit learns of it through the
    ``INCOMING_MESSAGE`` event (live inbox, notifications). The actor is the key holder: no
    user account, so the permission check is the key itself."""
    if not reporter_key_matches(aduan, key):
        raise ReporterKeyRefused(_("Tautan ini tidak berlaku untuk laporan tersebut."))
    if not aduan.is_open:
        raise ReporterKeyRefused(_("Laporan ini sudah ditutup; buat laporan baru bila perlu."))
    text = text.strip()
    if not text and not photos:
        raise ValueError(_("Tulis informasi tambahan atau pilih foto."))
    with transaction.atomic(durable=True):
        aduan = lock_aduan(aduan)
        start = aduan.photos.count()
        if start + len(photos) > MAX_PHOTOS * 2:
            raise ValueError(_("Laporan ini sudah memiliki foto sebanyak batasnya."))
        message = AduanMessage.objects.create(
            aduan=aduan,
            kind=MessageKind.INCOMING,
            text=text or _("(foto tambahan dari pelapor)"),
            channel=aduan.channel,
        )
        store_photos(aduan, photos, start=start)
        touch(aduan)
        record_audit(
            aduan,
            "reporter_information_added",
            actor=None,
            message=message.pk,
            photos=len(photos),
        )
        emit(EventKind.INCOMING_MESSAGE, aduan, message=message, via="reporter_link")
    return message
