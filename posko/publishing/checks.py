"""Warnings shown in the composer before a post is scheduled (they never block): the same or
nearly the same text posted in the last days, and another post on the same account in the
same hour."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.org.models import Unit
from posko.publishing.models import Post, PostStatus, PostTarget

SIMILAR_RATIO = 0.9
MAX_CANDIDATES = 300
IGNORED = (PostStatus.REJECTED,)


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def duplicate_days() -> int:
    return int(getattr(settings, "POSKO_PUBLISHING_DUPLICATE_DAYS", 14))


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO


def _label(post: Post) -> str:
    when = post.publish_at or post.created_at
    return _("#%(id)d “%(title)s” (%(when)s)") % {
        "id": post.pk,
        "title": (post.title or post.text)[:50],
        "when": timezone.localtime(when).strftime("%d-%m-%Y %H:%M"),
    }


def duplicate_warnings(
    polres: Unit, text: str, *, around: datetime | None, exclude: Post | None = None
) -> list[str]:
    moment = around or timezone.now()
    days = timedelta(days=duplicate_days())
    wanted = _normal(text)
    if not wanted:
        return []
    candidates = (
        Post.objects.filter(polres=polres, created_at__gte=moment - days)
        .exclude(status__in=IGNORED)
        .order_by("-created_at")
    )
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    if exclude is not None and exclude.series_id:  # a series repeats its text on purpose
        candidates = candidates.exclude(series_id=exclude.series_id)
    return [
        _("Teks hampir sama dengan publikasi %(post)s dalam %(days)d hari terakhir.")
        % {"post": _label(post), "days": days.days}
        for post in candidates[:MAX_CANDIDATES]
        if _similar(wanted, _normal(post.text))
    ]


def conflict_warnings(
    account_ids: Iterable[int], publish_at: datetime | None, *, exclude: Post | None = None
) -> list[str]:
    if publish_at is None:
        return []
    local = timezone.localtime(publish_at)
    start = local.replace(minute=0, second=0, microsecond=0)
    targets = (
        PostTarget.objects.filter(
            account_id__in=list(account_ids),
            post__publish_at__gte=start,
            post__publish_at__lt=start + timedelta(hours=1),
        )
        .exclude(post__status__in=IGNORED)
        .select_related("post", "account")
        .order_by("post__publish_at")
    )
    if exclude is not None and exclude.pk:
        targets = targets.exclude(post_id=exclude.pk)
    return [
        _("Akun %(account)s sudah punya publikasi %(post)s pada jam yang sama.")
        % {"account": t.account.name, "post": _label(t.post)}
        for t in targets
    ]


def post_warnings(post: Post) -> list[str]:
    """Both checks for a saved post (composer after saving, post detail before review)."""
    accounts = [t.account_id for t in post.targets.all()]
    return duplicate_warnings(
        post.polres, post.text, around=post.publish_at, exclude=post
    ) + conflict_warnings(accounts, post.publish_at, exclude=post)
