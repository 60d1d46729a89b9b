"""Attach the rendered traffic advisory map (``publishing.trafficmap``) to a traffic advisory as
its photo: every variant then carries it (and is checked against each platform's limits)."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError, record
from posko.publishing.models import EDITABLE_STATUSES, Post, PostKind, PostMedia
from posko.publishing.trafficmap import SIZE, render_traffic_map

MAX_PHOTOS = 4  # X takes at most 4 photos


def do_attach_traffic_map(post: Post, *, acting_user: User) -> PostMedia:
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.kind != PostKind.TRAFFIC:
            raise PostError(_("Peta hanya untuk info lalu lintas."))
        if post.status not in EDITABLE_STATUSES:
            raise PostError(_("Publikasi hanya dapat diubah saat draf atau perlu perbaikan."))
        if post.media.count() >= MAX_PHOTOS:
            raise PostError(_("Sudah ada 4 foto; hapus satu untuk menambah peta."))
        road = str(post.fields.get("road", "")).strip()
        alternative = str(post.fields.get("alternative_route", "")).strip()
        if not road or not alternative:
            raise PostError(_("Isi ruas jalan dan jalur alternatif untuk membuat peta."))
        window = " – ".join(
            str(post.fields[k]) for k in ("time_from", "time_until") if post.fields.get(k)
        )
        desa = list(post.desa.order_by("name").values_list("name", flat=True))
        data = render_traffic_map(road, alternative, desa, window=window, title=post.title)
        token = secrets.token_urlsafe(24)
        media = PostMedia(
            post=post,
            content_type="image/jpeg",
            size=len(data),
            width=SIZE,
            height=SIZE,
            public_token=token,
            position=post.media.count(),
        )
        media.file.save(f"{token}.jpg", ContentFile(data), save=False)
        media.save()
        record(post, "map_attached", actor=acting_user, size=len(data))
    return media
