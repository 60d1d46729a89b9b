"""Composing a post: the post, its photos and one variant per official account.

Nothing is half-saved: every check runs before the first write, in one transaction."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from posko.channels.models import ChannelAccount
from posko.org.lookup import is_desa_of_polres
from posko.org.models import Unit
from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError, record
from posko.publishing.kinds import clean_fields
from posko.publishing.limits import LIMITS, Photo
from posko.publishing.models import (
    EDITABLE_STATUSES,
    Post,
    PostKind,
    PostMedia,
    PostStatus,
    PostTarget,
)
from posko.regions.models import Region

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass
class Draft:
    kind: str
    text: str
    accounts: list[ChannelAccount]
    title: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    variants: dict[int, str] = field(default_factory=dict)  # account id -> own text
    publish_at: datetime | None = None
    desa: list[Region] = field(default_factory=list)
    photos: list[UploadedFile] = field(default_factory=list)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_image(upload: UploadedFile) -> CleanImage:
    """Check a photo by its content and re-encode it without EXIF/GPS metadata."""
    name = upload.name or _("foto")
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise PostError(_("Foto %(name)s terlalu besar (maksimal 20 MB).") % {"name": name})
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise PostError(
            _("Berkas %(name)s bukan foto yang dapat dibaca.") % {"name": name}
        ) from exc
    if image.format not in FORMATS or image.width * image.height > MAX_PIXELS:
        raise PostError(_("Foto %(name)s harus JPEG, PNG atau WEBP.") % {"name": name})
    content_type, extension = FORMATS[image.format]
    fmt = image.format
    upright = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=90)
    else:
        upright.save(out, fmt)
    return CleanImage(out.getvalue(), content_type, extension, upright.width, upright.height)


def _check(polres: Unit, draft: Draft) -> tuple[dict[str, str], list[CleanImage]]:
    errors: list[str] = []
    if draft.kind not in PostKind.values:
        errors.append(_("Jenis publikasi tidak dikenal."))
    if not draft.text.strip():
        errors.append(_("Teks publikasi wajib diisi."))
    fields, field_errors = clean_fields(draft.kind, draft.fields)
    errors.extend(field_errors)
    if not draft.accounts:
        errors.append(_("Pilih minimal satu akun tujuan."))
    for account in draft.accounts:
        if account.polres_id != polres.pk:
            errors.append(_("Akun %(name)s bukan milik Polres ini.") % {"name": account.name})
        elif account.platform not in LIMITS:
            errors.append(
                _("Akun %(name)s tidak dapat dipakai untuk publikasi.") % {"name": account.name}
            )
    if draft.publish_at is not None and draft.publish_at < timezone.now() - timedelta(minutes=1):
        errors.append(_("Waktu terbit sudah lewat."))
    for desa in draft.desa:
        if not is_desa_of_polres(polres, desa):
            errors.append(_("Desa %(name)s bukan wilayah Polres ini.") % {"name": desa.name})
    images: list[CleanImage] = []
    for upload in draft.photos:
        try:
            images.append(clean_image(upload))
        except PostError as exc:
            errors.extend(exc.errors)
    if errors:
        raise PostError(errors)
    return fields, images


def _store(post: Post, draft: Draft, fields: dict[str, str], images: list[CleanImage]) -> None:
    post.kind = draft.kind
    post.title = draft.title.strip()[:200]
    post.text = draft.text.strip()
    post.fields = fields
    post.publish_at = draft.publish_at
    post.updated_at = timezone.now()
    post.save()
    post.desa.set(draft.desa)
    wanted = {a.pk: a for a in draft.accounts}
    post.targets.exclude(account_id__in=wanted).delete()
    existing = {t.account_id: t for t in post.targets.all()}
    for account_id, account in wanted.items():
        target = existing.get(account_id) or PostTarget(
            post=post, account=account, platform=account.platform
        )
        target.text = draft.variants.get(account_id, "").strip()
        target.save()
    start = post.media.count()
    for position, image in enumerate(images, start=start):
        token = secrets.token_urlsafe(24)
        media = PostMedia(
            post=post,
            content_type=image.content_type,
            size=len(image.data),
            width=image.width,
            height=image.height,
            public_token=token,
            position=position,
        )
        media.file.save(f"{token}.{image.extension}", ContentFile(image.data), save=False)
        media.save()


def do_create_post(polres: Unit, draft: Draft, *, acting_user: User) -> Post:
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    fields, images = _check(polres, draft)
    with transaction.atomic():
        post = Post(polres=polres, created_by=acting_user, text=draft.text)
        _store(post, draft, fields, images)
        record(post, "created", actor=acting_user, kind=post.kind, targets=len(draft.accounts))
    return post


def do_update_post(post: Post, draft: Draft, *, acting_user: User) -> Post:
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    fields, images = _check(post.polres, draft)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status not in EDITABLE_STATUSES:
            raise PostError(_("Publikasi hanya dapat diubah saat draf atau perlu perbaikan."))
        _store(post, draft, fields, images)
        if post.status == PostStatus.CHANGES_REQUESTED:
            post.status = PostStatus.DRAFT
            post.save(update_fields=["status"])
        record(post, "edited", actor=acting_user)
    return post


def do_remove_photo(media: PostMedia, *, acting_user: User) -> None:
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=media.post_id)
        if not can_compose(acting_user) or post.status not in EDITABLE_STATUSES:
            raise PostError(_("Foto hanya dapat dihapus saat draf atau perlu perbaikan."))
        media.file.delete(save=False)
        media.delete()
        record(post, "photo_removed", actor=acting_user)


def photos_of(post: Post) -> list[Photo]:
    return [
        Photo(m.content_type, m.size, m.width, m.height, name=f"foto {i}")
        for i, m in enumerate(post.media.all(), start=1)
    ]
