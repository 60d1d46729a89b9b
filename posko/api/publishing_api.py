"""``/api/v1/posts``: compose a post for the Polres's accounts (it waits for approval),
approve it (pimpinan/admin; it is then scheduled), read its per-account state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from posko.aduan.access import officer_of
from posko.api.schemas import ErrorOut
from posko.channels.models import ChannelAccount
from posko.core.types import staff_user
from posko.publishing.access import can_approve, can_compose, visible_posts
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.review import do_approve, do_submit_for_review
from posko.publishing.limits import LIMITS
from posko.publishing.models import Post
from posko.regions.models import Region, RegionLevel

router = Router(tags=["publikasi"])


class PostIn(Schema):
    kind: str = Field(
        description="peringatan_keamanan, info_lalu_lintas, kampanye_edukasi, "
        "kegiatan, imbauan, klarifikasi_hoaks"
    )
    text: str
    platforms: list[str] = Field(description="facebook, instagram, x, telegram, whatsapp")
    publish_at: datetime | None = None
    title: str = ""
    fields: dict[str, str] = Field(default_factory=dict, description="isian khusus jenis")
    desa_codes: list[str] = Field(default_factory=list)


class PostCreatedOut(Schema):
    id: int
    status: str


class TargetOut(Schema):
    platform: str
    account: str
    status: str
    external_id: str
    url: str
    error: str


class PostOut(Schema):
    id: int
    kind: str
    status: str
    text: str
    publish_at: datetime | None
    targets: list[TargetOut]


class PostErrorOut(Schema):
    message: str
    errors: list[str]


def _post_out(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "kind": post.kind,
        "status": post.status,
        "text": post.text,
        "publish_at": post.publish_at,
        "targets": [
            {
                "platform": t.platform,
                "account": t.account.name,
                "status": t.status,
                "external_id": t.external_id,
                "url": t.url,
                "error": t.error,
            }
            for t in post.targets.select_related("account")
        ],
    }


def _get(request: HttpRequest, post_id: int) -> Post:
    post = visible_posts(request.user).filter(pk=post_id).first()
    if post is None:
        raise HttpError(404, "Publikasi tidak ditemukan.")
    return post


def _accounts(polres_id: int, platforms: list[str]) -> list[ChannelAccount]:
    accounts: list[ChannelAccount] = []
    for platform in dict.fromkeys(platforms):
        if platform not in LIMITS:
            raise PostError(f"Platform tidak dikenal: {platform}")
        found = list(
            ChannelAccount.objects.filter(polres_id=polres_id, platform=platform, is_active=True)
        )
        if not found:
            raise PostError(f"Polres belum punya akun resmi aktif untuk {platform}.")
        accounts.extend(found)
    return accounts


@router.post(
    "",
    response={201: PostCreatedOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: PostErrorOut},
)
def create_post(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    """Compose a post and submit it for approval (``status: in_review``). Every variant is
    checked against its platform's limits first; nothing is saved when one fails (422)."""
    officer = officer_of(request.user)
    if officer is None or officer.unit.polres is None or not can_compose(request.user):
        raise HttpError(403, "Anda tidak berwenang menyusun publikasi.")
    polres = officer.unit.polres
    try:
        desa = [
            Region.objects.get(code=code, level=RegionLevel.DESA) for code in payload.desa_codes
        ]
    except Region.DoesNotExist:
        return Status(422, {"message": "Desa tidak dikenal.", "errors": ["Desa tidak dikenal."]})
    try:
        with transaction.atomic():
            draft = Draft(
                kind=payload.kind,
                text=payload.text,
                accounts=_accounts(polres.pk, payload.platforms),
                title=payload.title,
                fields=dict(payload.fields),
                publish_at=payload.publish_at,
                desa=desa,
            )
            user = staff_user(request)
            post = do_create_post(polres, draft, acting_user=user)
            post = do_submit_for_review(post, acting_user=user)
    except PostError as exc:
        return Status(422, {"message": "Publikasi tidak valid.", "errors": exc.errors})
    return Status(201, {"id": post.pk, "status": post.status})


@router.post(
    "/{post_id}/approve",
    response={
        200: PostCreatedOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: PostErrorOut,
        422: ErrorOut,
    },
)
def approve_post(request: HttpRequest, post_id: int) -> Status[dict[str, Any]]:
    """Approve a post waiting for approval (pimpinan, admin): it is scheduled at its
    ``publish_at`` (or now)."""
    post = _get(request, post_id)
    if not can_approve(request.user):
        raise HttpError(403, "Hanya pimpinan atau admin yang dapat menyetujui publikasi.")
    try:
        post = do_approve(post, acting_user=staff_user(request))
    except PostError as exc:
        return Status(409, {"message": str(exc), "errors": exc.errors})
    return Status(200, {"id": post.pk, "status": post.status})


@router.get("/{post_id}", response={200: PostOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return _post_out(_get(request, post_id))
