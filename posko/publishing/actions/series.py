"""Recurring posts with an end: a series creates one ordinary post per occurrence through the
composer and submits each for review (``do_create_post``, ``do_submit_for_review``), so every
occurrence is checked, approved and published like any other post. Editing a series rewrites
the occurrences that have not started publishing; cancelling withdraws them. All or nothing."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.channels.models import ChannelAccount
from posko.org.models import Unit
from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError, record
from posko.publishing.actions.compose import Draft, do_create_post, do_update_post
from posko.publishing.actions.review import (
    do_approve,
    do_cancel_schedule,
    do_submit_for_review,
)
from posko.publishing.models import (
    EDITABLE_STATUSES,
    Post,
    PostSeries,
    PostStatus,
    SeriesFrequency,
    SeriesStatus,
)

MAX_OCCURRENCES = 52
# Occurrences a series edit or cancellation may still change (nothing has gone out yet).
OPEN_STATUSES = frozenset({*EDITABLE_STATUSES, PostStatus.IN_REVIEW, PostStatus.SCHEDULED})


@dataclass
class SeriesDraft:
    kind: str
    text: str
    accounts: list[ChannelAccount]
    frequency: str
    first_at: datetime | None
    title: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    until: date | None = None
    count: int | None = None


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, pycalendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def occurrences(draft: SeriesDraft) -> list[datetime]:
    """The publishing times of a series (local wall-clock time kept across DST-free WIB)."""
    errors: list[str] = []
    if draft.frequency not in SeriesFrequency.values:
        errors.append(_("Pilih pengulangan mingguan atau bulanan."))
    if draft.first_at is None:
        errors.append(_("Isi waktu terbit pertama."))
    if (draft.until is None) == (draft.count is None):
        errors.append(_("Isi salah satu: sampai tanggal atau jumlah kali."))
    if draft.count is not None and not 1 <= draft.count <= MAX_OCCURRENCES:
        errors.append(_("Jumlah kali antara 1 dan %(max)d.") % {"max": MAX_OCCURRENCES})
    if errors:
        raise PostError(errors)
    assert draft.first_at is not None
    first = timezone.localtime(draft.first_at)
    if draft.until is not None and draft.until < first.date():
        raise PostError(_("Tanggal akhir seri sebelum terbit pertama."))
    times: list[datetime] = []
    step = 0
    while True:
        if draft.frequency == SeriesFrequency.WEEKLY:
            moment = first + timedelta(weeks=step)
        else:
            moment = _add_months(first, step)
        if draft.count is not None and len(times) >= draft.count:
            break
        if draft.until is not None and moment.date() > draft.until:
            break
        times.append(moment)
        step += 1
        if len(times) > MAX_OCCURRENCES:
            raise PostError(
                _("Seri terlalu panjang: maksimal %(max)d kali.") % {"max": MAX_OCCURRENCES}
            )
    return times


def _post_draft(draft: SeriesDraft, when: datetime) -> Draft:
    return Draft(
        kind=draft.kind,
        text=draft.text,
        title=draft.title,
        accounts=list(draft.accounts),
        fields=dict(draft.fields),
        publish_at=when,
    )


def _store_series(series: PostSeries, draft: SeriesDraft) -> None:
    assert draft.first_at is not None
    series.kind = draft.kind
    series.title = draft.title.strip()[:200]
    series.text = draft.text.strip()
    series.fields = dict(draft.fields)
    series.frequency = draft.frequency
    series.first_at = draft.first_at
    series.until = draft.until
    series.count = draft.count
    series.updated_at = timezone.now()
    series.save()
    series.accounts.set(draft.accounts)


def _errors_per_occurrence(exc: PostError, when: datetime) -> PostError:
    stamp = timezone.localtime(when).strftime("%d-%m-%Y %H:%M")
    return PostError([f"{stamp}: {e}" for e in exc.errors])


def _create_occurrences(
    series: PostSeries, draft: SeriesDraft, times: list[datetime], user: User
) -> list[Post]:
    posts = []
    for when in times:
        try:
            post = do_create_post(series.polres, _post_draft(draft, when), acting_user=user)
            post.series = series
            post.save(update_fields=["series"])
            posts.append(do_submit_for_review(post, acting_user=user))
        except PostError as exc:
            raise _errors_per_occurrence(exc, when) from exc
    return posts


def do_create_series(polres: Unit, draft: SeriesDraft, *, acting_user: User) -> PostSeries:
    """The series and all its occurrences, each submitted for review; nothing if one fails."""
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    times = occurrences(draft)
    with transaction.atomic():
        series = PostSeries(polres=polres, created_by=acting_user)
        _store_series(series, draft)
        posts = _create_occurrences(series, draft, times, acting_user)
        record(posts[0], "series_created", actor=acting_user, series=series.pk, count=len(posts))
    return series


def _open_posts(series: PostSeries) -> list[Post]:
    return list(
        Post.objects.select_for_update()
        .filter(series=series, status__in=OPEN_STATUSES)
        .order_by("publish_at", "id")
    )


def _back_to_draft(post: Post, user: User) -> Post:
    """A scheduled occurrence loses its schedule; one in review is withdrawn to draft."""
    if post.status == PostStatus.SCHEDULED:
        return do_cancel_schedule(post, acting_user=user)
    if post.status == PostStatus.IN_REVIEW:
        post.status = PostStatus.DRAFT
        post.updated_at = timezone.now()
        post.save(update_fields=["status", "updated_at"])
    return post


def do_edit_series(series: PostSeries, draft: SeriesDraft, *, acting_user: User) -> PostSeries:
    """New text, accounts or times for the occurrences that have not gone out: each is
    rewritten through the composer and submitted for review again (new times are created,
    times no longer in the series are withdrawn)."""
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    times = [t for t in occurrences(draft) if t > timezone.now()]
    with transaction.atomic():
        series = PostSeries.objects.select_for_update().get(pk=series.pk)
        if series.status != SeriesStatus.ACTIVE:
            raise PostError(_("Seri yang dibatalkan tidak dapat diubah."))
        _store_series(series, draft)
        open_posts = _open_posts(series)
        for post, when in zip(open_posts, times, strict=False):
            try:
                post = do_update_post(
                    _back_to_draft(post, acting_user),
                    _post_draft(draft, when),
                    acting_user=acting_user,
                )
                do_submit_for_review(post, acting_user=acting_user)
            except PostError as exc:
                raise _errors_per_occurrence(exc, when) from exc
        _withdraw(open_posts[len(times) :], acting_user, _("Tidak lagi termasuk seri."))
        created = _create_occurrences(series, draft, times[len(open_posts) :], acting_user)
        anchors = open_posts or created
        if anchors:
            anchor = anchors[0]
            record(anchor, "series_edited", actor=acting_user, series=series.pk, count=len(times))
    return series


def _withdraw(posts: list[Post], user: User, reason: str) -> None:
    for post in posts:
        post = _back_to_draft(post, user)
        post.status = PostStatus.REJECTED
        post.review_reason = reason
        post.updated_at = timezone.now()
        post.save(update_fields=["status", "review_reason", "updated_at"])


def do_cancel_series(series: PostSeries, *, acting_user: User) -> int:
    """Withdraw every occurrence that has not started publishing; published ones stay."""
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang membatalkan seri."))
    with transaction.atomic():
        series = PostSeries.objects.select_for_update().get(pk=series.pk)
        if series.status != SeriesStatus.ACTIVE:
            raise PostError(_("Seri ini sudah dibatalkan."))
        open_posts = _open_posts(series)
        _withdraw(open_posts, acting_user, _("Seri dibatalkan."))
        series.status = SeriesStatus.CANCELLED
        series.updated_at = timezone.now()
        series.save(update_fields=["status", "updated_at"])
        anchor = open_posts[0] if open_posts else series.posts.order_by("id").first()
        if anchor is not None:
            record(
                anchor,
                "series_cancelled",
                actor=acting_user,
                series=series.pk,
                count=len(open_posts),
            )
    return len(open_posts)


def do_approve_series(series: PostSeries, *, acting_user: User) -> int:
    """A reviewer approves every occurrence waiting for approval at once (each through
    ``do_approve``: the same checks, the same audit rows); all or nothing."""
    with transaction.atomic():
        series = PostSeries.objects.select_for_update().get(pk=series.pk)
        if series.status != SeriesStatus.ACTIVE:
            raise PostError(_("Seri yang dibatalkan tidak dapat diubah."))
        waiting = list(series.posts.filter(status=PostStatus.IN_REVIEW).order_by("publish_at"))
        if not waiting:
            raise PostError(_("Tidak ada publikasi seri yang menunggu persetujuan."))
        for post in waiting:
            do_approve(post, acting_user=acting_user)
    return len(waiting)
