"""The approval state machine: draft → in review → approved / changes requested / rejected
(reason required) → scheduled; "publish directly" for urgent warnings; operators resolving
unconfirmed or failed targets. Every transition is audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.publishing.access import can_approve, can_compose, can_publish_directly
from posko.publishing.actions.common import PostError, record, refresh_post_status
from posko.publishing.actions.compose import photos_of
from posko.publishing.actions.publish import schedule_target
from posko.publishing.limits import validate_variant
from posko.publishing.models import (
    EDITABLE_STATUSES,
    Post,
    PostStatus,
    PostTarget,
    TargetStatus,
)
from posko.publishing.publishers.publish_telegram import channel_chat_id


def _account_errors(post: Post, target: PostTarget) -> list[str]:
    account = target.account
    errors: list[str] = []
    if not account.is_active:
        errors.append(_("Akun %(name)s sedang nonaktif.") % {"name": account.name})
    if target.platform == "telegram" and not channel_chat_id(account):
        errors.append(
            _("Akun %(name)s belum punya ID kanal Telegram (channel_chat_id).")
            % {"name": account.name}
        )
    if target.platform == "whatsapp":
        template = account.config.get("alert_template")
        if not isinstance(template, dict) or not template.get("name"):
            errors.append(
                _("Akun %(name)s belum punya templat peringatan WhatsApp yang disetujui.")
                % {"name": account.name}
            )
        if not post.desa.exists():
            errors.append(_("WhatsApp: pilih desa sasaran peringatan."))
    return errors


def validation_errors(post: Post) -> dict[int, list[str]]:
    """Per target: what the platform would refuse (limits) or what is missing."""
    photos = photos_of(post)
    result: dict[int, list[str]] = {}
    for target in post.targets.select_related("account"):
        errors = validate_variant(target.platform, target.body, photos)
        errors.extend(_account_errors(post, target))
        if errors:
            result[target.pk] = errors
    return result


def _require_valid(post: Post) -> None:
    if not post.targets.exists():
        raise PostError(_("Pilih minimal satu akun tujuan."))
    errors = validation_errors(post)
    if errors:
        raise PostError([e for messages in errors.values() for e in messages])


def _lock(post: Post) -> Post:
    return Post.objects.select_for_update().get(pk=post.pk)


def _set_status(post: Post, status: str, *fields: str) -> None:
    post.status = status
    post.updated_at = timezone.now()
    post.save(update_fields=["status", "updated_at", *fields])


@transaction.atomic
def do_submit_for_review(post: Post, *, acting_user: User) -> Post:
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    post = _lock(post)
    if post.status not in EDITABLE_STATUSES:
        raise PostError(_("Hanya draf yang dapat diajukan untuk persetujuan."))
    _require_valid(post)
    _set_status(post, PostStatus.IN_REVIEW)
    record(post, "submitted", actor=acting_user)
    return post


def _schedule(post: Post, *, acting_user: User, immediately: bool) -> None:
    now = timezone.now()
    run_at = now if immediately or post.publish_at is None else max(post.publish_at, now)
    for target in post.targets.select_for_update():
        schedule_target(target, run_at)
    _set_status(post, PostStatus.SCHEDULED)
    record(post, "scheduled", actor=acting_user, publish_at=run_at.isoformat())


@transaction.atomic
def do_approve(post: Post, *, acting_user: User) -> Post:
    if not can_approve(acting_user):
        raise PostError(_("Hanya pimpinan atau admin yang dapat menyetujui publikasi."))
    post = _lock(post)
    if post.status != PostStatus.IN_REVIEW:
        raise PostError(_("Hanya publikasi yang menunggu persetujuan yang dapat disetujui."))
    if post.created_by_id == acting_user.pk:
        raise PostError(_("Publikasi tidak dapat disetujui oleh penyusunnya sendiri."))
    _require_valid(post)
    post.approved_by = acting_user
    post.approved_at = timezone.now()
    _set_status(post, PostStatus.APPROVED, "approved_by", "approved_at")
    record(post, "approved", actor=acting_user)
    _schedule(post, acting_user=acting_user, immediately=False)
    return post


def _decline(post: Post, status: str, reason: str, *, acting_user: User, action: str) -> Post:
    if not can_approve(acting_user):
        raise PostError(_("Hanya pimpinan atau admin yang dapat meninjau publikasi."))
    reason = reason.strip()
    if not reason:
        raise PostError(_("Alasan wajib diisi."))
    post = _lock(post)
    if post.status != PostStatus.IN_REVIEW:
        raise PostError(_("Hanya publikasi yang menunggu persetujuan yang dapat ditinjau."))
    post.review_reason = reason
    _set_status(post, status, "review_reason")
    record(post, action, actor=acting_user, reason=reason)
    return post


@transaction.atomic
def do_request_changes(post: Post, reason: str, *, acting_user: User) -> Post:
    return _decline(
        post, PostStatus.CHANGES_REQUESTED, reason, acting_user=acting_user, action="changes"
    )


@transaction.atomic
def do_reject(post: Post, reason: str, *, acting_user: User) -> Post:
    return _decline(post, PostStatus.REJECTED, reason, acting_user=acting_user, action="rejected")


@transaction.atomic
def do_publish_directly(post: Post, *, acting_user: User) -> Post:
    """An urgent security warning or traffic advisory goes out now, without prior approval."""
    post = _lock(post)
    if not can_publish_directly(acting_user, post):
        raise PostError(
            _("Terbit langsung hanya untuk peringatan keamanan dan info lalu lintas yang mendesak.")
        )
    if post.status not in (*EDITABLE_STATUSES, PostStatus.IN_REVIEW):
        raise PostError(_("Publikasi ini sudah diproses."))
    _require_valid(post)
    post.approved_by = acting_user
    post.approved_at = timezone.now()
    post.published_directly = True
    post.save(update_fields=["approved_by", "approved_at", "published_directly"])
    record(post, "published_directly", actor=acting_user)
    _schedule(post, acting_user=acting_user, immediately=True)
    return post


@transaction.atomic
def do_cancel_schedule(post: Post, *, acting_user: User) -> Post:
    """Withdraw a scheduled post before any account started publishing it (back to draft)."""
    if not (can_approve(acting_user) or can_compose(acting_user)):
        raise PostError(_("Anda tidak berwenang membatalkan jadwal."))
    post = _lock(post)
    targets = list(post.targets.select_for_update())
    if post.status != PostStatus.SCHEDULED or any(
        t.status != TargetStatus.SCHEDULED for t in targets
    ):
        raise PostError(_("Jadwal hanya dapat dibatalkan sebelum mulai diterbitkan."))
    for target in targets:
        target.status = TargetStatus.DRAFT
        target.job_key = ""
        target.save(update_fields=["status", "job_key"])
    _set_status(post, PostStatus.DRAFT)
    record(post, "schedule_cancelled", actor=acting_user)
    return post


def _lock_target(target: PostTarget, acting_user: User) -> PostTarget:
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang mengubah status publikasi."))
    target = PostTarget.objects.select_for_update().select_related("post").get(pk=target.pk)
    if target.status not in (TargetStatus.UNCONFIRMED, TargetStatus.FAILED):
        raise PostError(_("Hanya akun berstatus belum terkonfirmasi atau gagal yang dapat diubah."))
    return target


@transaction.atomic
def do_confirm_published(target: PostTarget, url: str, *, acting_user: User) -> PostTarget:
    """The operator checked the platform: the post is there (its address is recorded)."""
    target = _lock_target(target, acting_user)
    url = url.strip()
    if not url.startswith("https://"):
        raise PostError(_("Isi alamat (https://…) posting di platform."))
    before = target.status
    target.status = TargetStatus.PUBLISHED
    target.url = url[:500]
    target.published_at = target.published_at or timezone.now()
    target.error = ""
    target.save(update_fields=["status", "url", "published_at", "error"])
    record(
        target.post, "confirmed_published", actor=acting_user, target=target, before=before, url=url
    )
    refresh_post_status(target.post_id, actor=acting_user)
    return target


@transaction.atomic
def do_retry_target(target: PostTarget, *, acting_user: User) -> PostTarget:
    """The operator checked the platform and the post is NOT there: send it again now."""
    target = _lock_target(target, acting_user)
    before = target.status
    target.progress = {}
    record(target.post, "retried", actor=acting_user, target=target, before=before)
    schedule_target(target, timezone.now())
    refresh_post_status(target.post_id, actor=acting_user)
    return target
