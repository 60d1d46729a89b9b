"""Publishing one target (the body of the ``publish_target`` task).

* One effective job per target: the task carries the target's ``job_key``; a run with another
  key (an older schedule) does nothing, and the row lock plus the status make a second run of
  the same job a no-op.
* Never re-sent when the outcome is unknown: a timeout, a dropped connection or a 5xx on the
  call that publishes marks the target *unconfirmed* for an operator (who confirms it with the
  post's address, or explicitly retries). A worker dying mid-call is caught by a watchdog task
  that also marks it unconfirmed — it never sends again.
* Retried automatically only on clean rejections a retry can fix (rate limits, temporary
  refusals), at the platform's ``retry_after`` when given, with backoff otherwise.
* Volume caps per account are honoured before sending (Instagram 50 posts per 24 hours …).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from posko.channels.http import client
from posko.publishing.actions.common import record, refresh_post_status
from posko.publishing.calls import OutcomeUnknown, Published, PublishRejected
from posko.publishing.models import PostMedia, PostTarget, TargetStatus
from posko.publishing.publishers import Job, NotReady, PhotoFile, publisher_for
from posko.publishing.results import schedule_results

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
# Longer than any publish can take: a target still "publishing" after this lost its worker.
PUBLISH_LEASE = timedelta(minutes=10)
# (posts, window) per account; account config ``publish_quota: [posts, seconds]`` overrides.
QUOTAS: dict[str, tuple[int, timedelta]] = {
    "instagram": (50, timedelta(hours=24)),
    "x": (300, timedelta(hours=3)),
    "telegram": (20, timedelta(minutes=1)),
}


def schedule_target(target: PostTarget, run_at: datetime) -> None:
    """Inside a transaction: (re)schedule the target's one publishing job."""
    from posko.publishing.tasks import publish_target

    target.status = TargetStatus.SCHEDULED
    target.next_attempt_at = run_at
    target.job_key = f"t{target.pk}-a{target.attempts}-{int(run_at.timestamp())}"
    target.updated_at = timezone.now()
    target.save(update_fields=["status", "next_attempt_at", "job_key", "progress", "updated_at"])
    pk, key = target.pk, target.job_key
    transaction.on_commit(lambda: publish_target.using(run_after=run_at).enqueue(pk, key))


def _quota_wait(target: PostTarget, now: datetime) -> datetime | None:
    configured = target.account.config.get("publish_quota")
    if isinstance(configured, list) and len(configured) == 2:
        limit, window = int(configured[0]), timedelta(seconds=int(configured[1]))
    elif target.platform in QUOTAS:
        limit, window = QUOTAS[target.platform]
    else:
        return None
    recent = PostTarget.objects.filter(
        account_id=target.account_id,
        status__in=(TargetStatus.PUBLISHED, TargetStatus.UNCONFIRMED, TargetStatus.PUBLISHING),
        published_at__gt=now - window,
    ).exclude(pk=target.pk)
    if recent.count() < limit:
        return None
    oldest = recent.aggregate(first=Min("published_at"))["first"]
    return (oldest or now) + window + timedelta(seconds=1)


def _photos(target: PostTarget) -> list[PhotoFile]:
    from posko.publishing.links import media_url

    photos = []
    for media in PostMedia.objects.filter(post_id=target.post_id):
        with media.file.open("rb") as handle:
            data = handle.read()
        photos.append(
            PhotoFile(
                media.file.name.rsplit("/", 1)[-1], media.content_type, data, media_url(media)
            )
        )
    return photos


def _begin(target_id: int, job_key: str) -> PostTarget | str:
    """Claim the target for this run, or say why not."""
    from posko.publishing.tasks import check_publishing

    now = timezone.now()
    with transaction.atomic():
        target = (
            PostTarget.objects.select_for_update()
            .select_related("account", "post")
            .filter(pk=target_id)
            .first()
        )
        if target is None:
            return "missing"
        if target.job_key != job_key:
            return "stale"
        if target.status != TargetStatus.SCHEDULED:
            return f"already {target.status}"
        wait = _quota_wait(target, now)
        if wait is not None:
            record(target.post, "deferred_quota", actor=None, target=target, until=wait.isoformat())
            schedule_target(target, wait)
            return "deferred"
        target.status = TargetStatus.PUBLISHING
        target.attempts += 1
        target.published_at = now  # counts against the quota while the outcome is open
        target.updated_at = now
        target.save(update_fields=["status", "attempts", "published_at", "updated_at"])
        refresh_post_status(target.post_id)
        check_publishing.using(run_after=now + PUBLISH_LEASE).enqueue(target.pk, target.attempts)
    return target


def _run(target: PostTarget) -> Published:
    if not target.account.is_active:
        raise PublishRejected("Akun resmi dinonaktifkan.", retryable=False)
    if target.platform == "whatsapp":
        from posko.publishing.actions.alerts import start_alert_for_target

        return start_alert_for_target(target)
    job = Job(target.account, target.body, _photos(target), progress=dict(target.progress))
    try:
        with client() as http:
            return publisher_for(target.platform)(http, job)
    finally:
        target.progress = job.progress


def do_publish_target(target_id: int, job_key: str) -> str:
    claimed = _begin(target_id, job_key)
    if isinstance(claimed, str):
        return claimed
    target = claimed
    try:
        result = _run(target)
    except NotReady as exc:
        return _finish(target, "waiting", reason=exc.reason, retry_after=exc.retry_after)
    except OutcomeUnknown as exc:
        return _finish(target, "unconfirmed", reason=exc.reason)
    except PublishRejected as exc:
        outcome = "retry" if exc.retryable and target.attempts < MAX_ATTEMPTS else "failed"
        return _finish(target, outcome, reason=exc.reason, retry_after=exc.retry_after)
    except Exception as exc:  # a bug after the request may have gone out: do not re-send
        logger.exception("publishing target %s", target.pk)
        return _finish(target, "unconfirmed", reason=f"Galat internal ({exc.__class__.__name__}).")
    return _finish(target, "published", result=result)


def _finish(
    target: PostTarget,
    outcome: str,
    *,
    reason: str = "",
    retry_after: float | None = None,
    result: Published | None = None,
) -> str:
    now = timezone.now()
    with transaction.atomic():
        row = PostTarget.objects.select_for_update().select_related("post").get(pk=target.pk)
        row.progress = target.progress
        row.error = reason[:2000]
        if row.status != TargetStatus.PUBLISHING or row.attempts != target.attempts:
            row.save(update_fields=["progress"])
            return "superseded"
        if outcome == "published" and result is not None:
            row.status = TargetStatus.PUBLISHED
            row.external_id, row.url = result.external_id[:200], result.url[:500]
            row.published_at = now
            row.save()
            record(row.post, "published", actor=None, target=row, external_id=row.external_id)
            schedule_results(row)
        elif outcome == "unconfirmed":
            row.status = TargetStatus.UNCONFIRMED
            row.save()
            record(row.post, "unconfirmed", actor=None, target=row, reason=reason)
        elif outcome in ("retry", "waiting"):
            backoff = min(BASE_BACKOFF * 2 ** max(row.attempts - 1, 0), MAX_BACKOFF)
            delay = timedelta(seconds=retry_after) if retry_after is not None else backoff
            if outcome == "waiting":
                row.attempts -= 1  # polling a container is not a new attempt
            row.published_at = None
            row.save()
            schedule_target(row, now + delay)
            record(
                row.post,
                outcome,
                actor=None,
                target=row,
                reason=reason,
                after=delay.total_seconds(),
            )
        else:
            row.status = TargetStatus.FAILED
            row.published_at = None
            row.save()
            record(row.post, "failed", actor=None, target=row, reason=reason)
        refresh_post_status(row.post_id)
    return outcome


def do_check_publishing(target_id: int, attempt: int) -> str:
    """Watchdog: a target still "publishing" long after its attempt began lost its worker
    mid-call. The platform may have published it: mark it unconfirmed, never re-send."""
    with transaction.atomic():
        target = (
            PostTarget.objects.select_for_update()
            .select_related("post")
            .filter(pk=target_id)
            .first()
        )
        if target is None or target.status != TargetStatus.PUBLISHING or target.attempts != attempt:
            return "fine"
        target.status = TargetStatus.UNCONFIRMED
        target.error = "Proses berhenti saat menerbitkan; periksa apakah posting sudah tampil."
        target.save(update_fields=["status", "error"])
        record(target.post, "unconfirmed", actor=None, target=target, reason="worker lost")
        refresh_post_status(target.post_id)
    return "unconfirmed"


def do_sweep_overdue(grace: timedelta = timedelta(minutes=5)) -> int:
    """Re-enqueue the job of every target still scheduled well past its time (its task was
    lost, e.g. the database was restored). The job keeps its key, so a job that does run
    after all finds the target already taken: nothing is published twice."""
    from posko.publishing.tasks import publish_target

    overdue = list(
        PostTarget.objects.filter(
            status=TargetStatus.SCHEDULED, next_attempt_at__lt=timezone.now() - grace
        ).values_list("pk", "job_key")
    )
    for pk, key in overdue:
        publish_target.enqueue(pk, key)
    return len(overdue)
