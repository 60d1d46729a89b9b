"""Shared pieces of the publishing actions: the audit row, errors, the derived post status."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from posko.aduan.audit import record_polres_audit
from posko.aduan.models import AuditEvent
from posko.publishing.audit_kinds import PREFIX
from posko.publishing.models import (
    Post,
    PostStatus,
    PostTarget,
    TargetStatus,
)


class PostError(ValueError):
    """Bad input or a transition that is not allowed; ``errors`` are Indonesian messages."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__(" ".join(self.errors))


def post_target(post: Post) -> str:
    return f"post:{post.pk}"


def record(
    post: Post, action: str, *, actor: User | None, target: PostTarget | None = None, **data: Any
) -> AuditEvent:
    """One row in the one audit trail (kind ``post_<action>``: ``publishing.audit_kinds``)."""
    if target is not None:
        data = {"account_post": target.pk, "platform": target.platform, **data}
    return record_polres_audit(
        post.polres, PREFIX + action, actor=actor, target=post_target(post), **data
    )


def post_history(post: Post) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(polres_id=post.polres_id, target=post_target(post))


def derive_post_status(statuses: list[str]) -> str | None:
    """The post's status from its targets' (None while they are still drafts)."""
    active = [s for s in statuses if s not in (TargetStatus.CANCELLED, TargetStatus.DRAFT)]
    if not active:
        return None
    pending = {TargetStatus.SCHEDULED, TargetStatus.PUBLISHING}
    if any(s in pending for s in active):
        started = any(s not in (TargetStatus.SCHEDULED,) for s in active)
        return PostStatus.PUBLISHING if started else PostStatus.SCHEDULED
    if all(s == TargetStatus.PUBLISHED for s in active):
        return PostStatus.PUBLISHED
    if TargetStatus.UNCONFIRMED in active:
        return PostStatus.UNCONFIRMED
    if TargetStatus.PUBLISHED in active:
        return PostStatus.PARTLY_PUBLISHED
    return PostStatus.FAILED


def refresh_post_status(post_id: int, *, actor: User | None = None) -> str:
    """Re-derive and store the post's status (inside the caller's transaction); audit a
    change."""
    post = Post.objects.select_for_update().get(pk=post_id)
    statuses = list(PostTarget.objects.filter(post_id=post_id).values_list("status", flat=True))
    derived = derive_post_status(statuses)
    if derived is not None and derived != post.status:
        before = post.status
        post.status = derived
        post.updated_at = timezone.now()
        post.save(update_fields=["status", "updated_at"])
        record(post, "status", actor=actor, before=before, after=derived)
    return post.status
